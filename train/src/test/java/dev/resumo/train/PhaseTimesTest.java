package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.PhaseTimes.Phase;
import dev.resumo.train.fake.FakeRun;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run summary's "time:" line: each phase's wall time lands in that phase, none counted twice. */
class PhaseTimesTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void aRunsTimeIsSplitIntoItsPhases(@TempDir Path tmp) throws Exception {
        // The fake model sleeps 30 ms in each micro-batch: 8 steps put at least 0.24 s into the steps
        // and nowhere else (the evaluation's forward passes do not sleep).
        long delayMillis = 30;
        int steps = 8;
        long start = System.nanoTime();
        TrainResult r = FakeRun.run(FakeRun.config(tmp.resolve("run"), Map.of("max-steps", steps, "eval-steps", 4,
                "save-steps", 4)), delayMillis, -1, StopSignal.manual(), QUIET, w -> {});
        double wall = (System.nanoTime() - start) / 1e9;
        Map<Phase, Double> t = r.phaseSeconds();

        assertEquals(java.util.List.of(Phase.values()), java.util.List.copyOf(t.keySet()), "every phase, in run order");
        assertTrue(t.get(Phase.STEPS) >= steps * delayMillis / 1e3, "steps hold the micro-batches' time: " + t);
        // Evaluations at steps 0 (loss only), 4 and 8; checkpoints at 4 and 8; model/ at the end.
        for (Phase p : new Phase[] {Phase.SETUP, Phase.EVAL_LOSS, Phase.EVAL_SUMMARIES, Phase.ROUGE, Phase.CHECKPOINTS,
                Phase.RUN_FILES, Phase.MODEL_EXPORT}) {
            assertTrue(t.get(p) > 0, p + " took no time: " + t);
            assertTrue(t.get(p) < t.get(Phase.STEPS), p + " holds some of the steps' sleeps: " + t);
        }
        double sum = t.values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(sum <= wall, "phases counted twice: their sum " + sum + " s exceeds the run's " + wall + " s: " + t);
    }

    @Test
    void describeListsPhasesInRunOrderAndLeavesOutThoseThatDidNotHappen() {
        Map<Phase, Double> t = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) t.put(p, 0.0);
        t.put(Phase.MODEL_EXPORT, 0.31);
        t.put(Phase.STEPS, 52.44);
        t.put(Phase.EVAL_LOSS, 4.04);
        assertEquals("training steps 52.4 s, eval loss 4.0 s, model export 0.3 s", PhaseTimes.describe(t));
    }
}
