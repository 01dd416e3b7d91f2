package dev.resumo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When Resumo's warm-up runs end in `bench compare` (T5Workloads.settled). */
class WarmupRuleTest {

    @Test
    void twoAgreeingRunsEndTheWarmupOnlyAfterTheLeastWarmupTime() {
        // greedy batch 1 in a fresh JVM: two slow runs that agree, early on — not settled yet
        assertFalse(T5Workloads.settled("greedy1", 2, 0.341, 0.348, 3.311 + 0.348 - 2.0));
        assertFalse(T5Workloads.settled("greedy1", 3, 0.341, 0.348, 1.5));
        // the same agreement once the warm-up has lasted MIN_WARMUP_SECONDS
        assertTrue(T5Workloads.settled("greedy1", 7, 0.341, 0.348, T5Workloads.MIN_WARMUP_SECONDS));
    }

    @Test
    void runsThatDisagreeKeepWarmingUp() {
        assertFalse(T5Workloads.settled("greedy1", 9, 0.30, 0.24, 10.0));
    }

    @Test
    void theTrainingStepNeedsFiveRunsWhateverTheirTime() {
        assertFalse(T5Workloads.settled("train", 4, 1.70, 1.71, 12.0));
        assertTrue(T5Workloads.settled("train", 5, 1.70, 1.71, 12.0));
    }

    @Test
    void aRunBesideTheJitDoesNotCountAsSettled() {
        // the training step's timed runs had 171 and 112 ms of compilation inside 2.1 s runs
        assertFalse(T5Workloads.jitQuiet(2.111, 171));
        assertTrue(T5Workloads.jitQuiet(2.106, 14));
        assertTrue(T5Workloads.jitQuiet(0.240, 1));
        assertFalse(T5Workloads.jitQuiet(0.240, 23));
        assertTrue(T5Workloads.jitQuiet(0.240, -1), "a JVM that does not measure compilation time falls back to the times alone");
    }
}
