package dev.resumo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Folding `bench compare --rounds` figures: medians of medians, fastest best, round 1's units and RSS. */
class RoundsTest {
    private static WorkloadResult r(String name, double median, double best, double rss) {
        return new WorkloadResult(name, median, best, 64, "new tokens", 1e9, rss, rss / 10);
    }

    @Test
    void resumoRoundsFoldToTheMedianOfMediansAndTheFastestRun() {
        WorkloadResult folded = Rounds.combine(List.of(r("greedy1", 0.30, 0.29, 1400), r("greedy1", 0.26, 0.25, 1900),
                r("greedy1", 0.40, 0.24, 2000)));
        assertEquals("greedy1", folded.name());
        assertEquals(0.30, folded.medianSeconds(), 0);
        assertEquals(0.24, folded.bestSeconds(), 0);
        assertEquals(1400, folded.peakRssMib(), 0, "RSS of round 1: later rounds' heap holds the training step's growth");
        assertEquals(64, folded.units(), 0);
        assertEquals(190, folded.allocatedMibPerRun(), 0, "allocation per run: the rounds' median");
        // An even count averages the middle two.
        assertEquals(0.28, Rounds.combine(List.of(r("train", 0.26, 0.26, 1), r("train", 0.30, 0.3, 1))).medianSeconds(), 1e-12);
    }

    @Test
    void oneRoundIsUnchanged() {
        WorkloadResult one = r("beam4", 0.5, 0.45, 1300);
        assertEquals(one, Rounds.combine(List.of(one)));
    }

    @Test
    void mixedWorkloadsOrNoRoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Rounds.combine(List.of(r("greedy1", 1, 1, 1), r("beam4", 1, 1, 1))));
        assertThrows(IllegalArgumentException.class, () -> Rounds.combine(List.of()));
    }

    @Test
    void pythonSideRoundsFoldPerWorkloadAndSkipARoundThatFailed() {
        Map<String, double[]> a = Map.of("greedy1", new double[] {0.70, 64, 980, 0.68}, "train", new double[] {2.3, 8, 2100, 2.2});
        Map<String, double[]> b = Map.of("greedy1", new double[] {1.30, 64, 990, 1.20});
        Map<String, double[]> failed = Map.of();
        Map<String, double[]> c = Map.of("greedy1", new double[] {0.90, 64, 985, 0.85}, "train", new double[] {2.1, 8, 2150, 2.0});
        Map<String, double[]> folded = Rounds.combineSide(List.of(a, b, failed, c));
        assertArrayEquals(new double[] {0.90, 64, 980, 0.68}, folded.get("greedy1"), 0);
        assertArrayEquals(new double[] {2.2, 8, 2100, 2.0}, folded.get("train"), 1e-12);
        assertEquals(Map.of(), Rounds.combineSide(List.of()));
    }

    @Test
    void eachRoundGetsItsOwnSpeedupLine() {
        List<List<WorkloadResult>> resumo = List.of(List.of(r("greedy1", 0.25, 0.25, 1), r("train", 2.0, 2.0, 1)),
                List.of(r("greedy1", 0.50, 0.5, 1), r("train", 1.0, 1.0, 1)));
        List<Map<String, double[]>> torch = List.of(Map.of("greedy1", new double[] {1.0, 64, 1, 1.0}, "train", new double[] {3.0, 8, 1, 3.0}),
                Map.of("greedy1", new double[] {1.0, 64, 1, 1.0}));
        assertEquals(List.of("round 1 speedup: greedy1 4.00x train 1.50x", "round 2 speedup: greedy1 2.00x"),
                Rounds.speedupLines(resumo, torch));
        assertEquals(List.of(), Rounds.speedupLines(resumo, List.of()));
    }
}
