package dev.resumo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.t5.T5Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces of `bench compare` that need no model run: shapes, FLOP counts, the torch JSON, the table. */
class CompareHarnessTest {
    @Test
    void smallShapeIsPtt5Small() {
        T5Config c = ModelShapes.of("small");
        assertEquals(512, c.dModel());
        assertEquals(2048, c.dFf());
        assertEquals(6, c.numLayers());
        assertEquals(6, c.numDecoderLayers());
        assertEquals(8, c.numHeads());
        assertEquals(32128, c.vocabSize());
        assertThrows(IllegalArgumentException.class, () -> ModelShapes.of("huge"));
    }

    @Test
    void flopsFollowTheModelArithmetic() {
        T5Config c = ModelShapes.of("small");
        // lm_head alone for one target token of one example, forward+backward: 3 · 2 · d · vocab.
        double one = WorkloadFlops.trainingStep(c, 1, 1, 1);
        assertTrue(one > 3 * 2 * 512.0 * 32128, "includes the lm_head");
        assertEquals(8 * one, WorkloadFlops.trainingStep(c, 8, 1, 1), 1e-6 * one, "linear in batch");
        // A generation's decoder work grows with the rows; the encoder's with the batch only.
        double greedy = WorkloadFlops.generation(c, 1, 1, 256, 64);
        double two = WorkloadFlops.generation(c, 1, 2, 256, 64);
        double beams = WorkloadFlops.generation(c, 1, 4, 256, 64);
        assertEquals(3 * (two - greedy), beams - greedy, 1e-9 * beams, "decoder work linear in rows");
        assertTrue(beams < 4 * greedy, "the encoder runs once per input, not per beam");
    }

    @Test
    void readsTheTorchScriptJson() throws Exception {
        TorchSide.Outcome o = TorchSide.parse("{\"torch\":\"2.13.0\",\"transformers\":\"5.0\",\"threads\":2,"
                + "\"results\":{\"greedy1\":{\"seconds\":0.9,\"best_seconds\":0.8,\"units\":64,\"peak_rss_mib\":1500.5}}}");
        assertEquals("torch 2.13.0, transformers 5.0, 2 threads", o.versions());
        assertEquals(0.9, o.results().get("greedy1")[0]);
        assertEquals(64, o.results().get("greedy1")[1]);
        assertEquals(1500.5, o.results().get("greedy1")[2]);
        assertEquals(0.8, o.results().get("greedy1")[3]);
    }

    @Test
    void tablePrintsRatioAndPeakShare() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WorkloadResult r = new WorkloadResult("greedy1", 0.5, 0.4, 64, "new tokens", 10e9, 1000, 12.5);
        CompareTable.print(List.of(r), Map.of("greedy1", new double[] {1.5, 64, 2000, 1.2}), 100, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("3.00x"), text);     // median: torch 1.5 s / resumo 0.5 s
        assertTrue(text.contains("3.00x"), text);     // best: torch 1.2 s / resumo 0.4 s
        assertTrue(text.contains("20.0%"), text);     // 10 GFLOP in 0.5 s = 20 GFLOP/s of 100
        assertTrue(text.contains("128.0"), text);     // 64 tokens / 0.5 s
    }

    @Test
    void readsTheCtranslate2ScriptJsonAndPrintsItsColumns() throws Exception {
        TorchSide.Outcome o = CtranslateSide.parse("{\"ctranslate2\":\"4.8.5\",\"threads\":2,"
                + "\"results\":{\"greedy1\":{\"seconds\":1.0,\"best_seconds\":0.9,\"units\":64,\"peak_rss_mib\":700}}}");
        assertEquals("ctranslate2 4.8.5, 2 threads, fp32", o.versions());
        assertEquals(1.0, o.results().get("greedy1")[0]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<WorkloadResult> rows = List.of(new WorkloadResult("greedy1", 0.5, 0.4, 64, "new tokens", 10e9, 1000, 12.5),
                new WorkloadResult("train", 2.0, 1.9, 8, "examples", 400e9, 4000, 300));
        CompareTable.print(rows, Map.of(), o.results(), 100, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[0].contains("vs ct2"), lines[0]);
        assertTrue(lines[1].contains("2.00x") && lines[1].contains("700"), lines[1]); // ct2 1.0 s / resumo 0.5 s
        assertTrue(lines[2].trim().endsWith("-"), lines[2]);                          // no CTranslate2 training figure
    }

    @Test
    void allocationLineNamesEachMeasuredWorkload() {
        List<WorkloadResult> rows = List.of(new WorkloadResult("greedy1", 0.5, 0.4, 64, "new tokens", 10e9, 1000, 12.5),
                new WorkloadResult("beam4", 0.5, 0.4, 64, "new tokens", 10e9, 1000, Double.NaN),
                new WorkloadResult("train", 2.0, 1.9, 8, "examples", 400e9, 4000, 300));
        assertEquals("resumo heap allocated per run (all threads): greedy1 12.5 MiB, train 300.0 MiB", CompareTable.allocationLine(rows));
        assertEquals(null, CompareTable.allocationLine(List.of(rows.get(1))), "no line when nothing was measured");
    }

    @Test
    void heapAllocationSeesArraysThisThreadAllocates() {
        long before = HeapAllocation.bytes();
        assertTrue(before >= 0, "HotSpot reports allocated bytes");
        float[][] kept = new float[16][];
        for (int i = 0; i < kept.length; i++) kept[i] = new float[1 << 20]; // 16 × 4 MiB
        double mib = HeapAllocation.mibSince(before);
        assertTrue(mib >= 64 && mib < 96, mib + " MiB for 64 MiB of arrays");
        assertEquals(kept.length, java.util.Arrays.stream(kept).filter(a -> a.length == 1 << 20).count());
        assertTrue(Double.isNaN(HeapAllocation.mibSince(-1)), "unknown start: NaN");
    }

    @Test
    void inputIdsAreInsideTheVocabularyAndNotSpecial() {
        int[] ids = T5Workloads.ids(5000, 32128, 2);
        for (int id : ids) assertTrue(id >= 2 && id < 32128, "id " + id);
    }
}
