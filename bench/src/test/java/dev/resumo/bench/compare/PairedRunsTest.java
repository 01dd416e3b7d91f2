package dev.resumo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `bench compare --paired`: each pair's ratio, their median and spread, and the table's columns. */
class PairedRunsTest {
    @Test
    void theSpeedupIsTheMedianOfThePairRatiosNotTheRatioOfTheMedians() {
        // The machine slows 2x after the second pair: both sides' medians come from different speeds,
        // while every pair says torch takes 1.5x Resumo's time, except one outlier pair.
        PairedRuns p = new PairedRuns(new double[] {1.5, 1.5, 3.0, 3.0, 4.0}, new double[] {1.0, 1.0, 2.0, 2.0, 2.0});
        assertArrayEquals(new double[] {1.5, 1.5, 1.5, 1.5, 2.0}, p.ratios(), 1e-12);
        assertEquals(1.5, p.medianRatio(), 1e-12);
        assertEquals(1.5, p.minRatio(), 1e-12);
        assertEquals(2.0, p.maxRatio(), 1e-12);
        assertEquals(3.0, p.torchMedian(), 0);
        assertEquals(2.0, p.resumoMedian(), 0);
        assertEquals(1.5, p.torchBest(), 0);
        assertEquals(1.5, p.torchMedian() / p.resumoMedian(), 1e-12, "here the ratio of medians happens to agree");
        // An even count: the middle two ratios averaged.
        assertEquals(1.25, new PairedRuns(new double[] {1, 3, 1, 2}, new double[] {1, 2, 1, 1}).medianRatio(), 1e-12);
    }

    @Test
    void pairsNeedAsManyRunsOnEachSide() {
        assertThrows(IllegalArgumentException.class, () -> new PairedRuns(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new PairedRuns(new double[0], new double[0]));
    }

    @Test
    void theLineListsEveryPairInRunOrder() {
        assertEquals("train pairs (torch s / resumo s = ratio): 2.000/1.600 = 1.25x, 1.800/2.000 = 0.90x",
                new PairedRuns(new double[] {2.0, 1.8}, new double[] {1.6, 2.0}).line("train"));
        assertEquals("beam4 pairs (ct2 s / resumo s = ratio): 0.500/1.000 = 0.50x",
                new PairedRuns(new double[] {0.5}, new double[] {1.0}).line("beam4", "ct2"));
    }

    @Test
    void thePairedTableShowsTheMedianPairRatioAndItsRange() {
        // Medians 3.0 s and 1.0 s (ratio 3.00x) while the pairs say 1.40-2.00x, median 1.50x.
        PairedRuns p = new PairedRuns(new double[] {1.4, 3.0, 4.5}, new double[] {1.0, 2.0, 2.25});
        WorkloadResult r = new WorkloadResult("train", 1.0, 1.0, 8, "examples", 400e9, 4000, 10);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompareTable.print(List.of(r), Map.of("train", new double[] {3.0, 8, 2000, 1.4}), Map.of(), Map.of("train", p), Map.of(), 1000,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[0].contains("pairs"), lines[0]);
        assertTrue(lines[1].contains(" 1.50x ") && !lines[1].contains("3.00x"), lines[1]);
        assertTrue(lines[1].contains("1.40-2.00x"), lines[1]);
        // Unpaired: no pairs column, the ratio of the medians.
        bytes.reset();
        CompareTable.print(List.of(r), Map.of("train", new double[] {3.0, 8, 2000, 1.4}), 1000,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String unpaired = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(!unpaired.contains("pairs") && unpaired.contains("3.00x"), unpaired);
    }

    @Test
    void vsCt2IsTheMedianOfCt2sPairRatiosWhenPaired() {
        // CTranslate2 median 2.0 s over Resumo's 1.0 s would read 2.00x; its pairs say 0.80x.
        PairedRuns ct2 = new PairedRuns(new double[] {0.8, 2.0, 4.0}, new double[] {1.0, 2.5, 5.0});
        WorkloadResult r = new WorkloadResult("greedy1", 1.0, 1.0, 64, "new tokens", 1e9, 1000, 10);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompareTable.print(List.of(r), Map.of(), Map.of("greedy1", new double[] {2.0, 64, 700, 0.8}), Map.of(),
                Map.of("greedy1", ct2), 1000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String row = bytes.toString(StandardCharsets.UTF_8).split("\n")[1];
        assertTrue(row.contains(" 0.80x ") && !row.contains("2.00x"), row);
    }
}
