package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings refused when the config or load plan is built, before any socket or thread exists. */
class StartupLimitsTest {
    private static ServeConfig serve(long maxWaitMs, long timeoutMs) {
        return new ServeConfig("127.0.0.1", 0, List.of(), 1024, 16, 8, maxWaitMs, timeoutMs, true, 512, 8, 64, 1000);
    }

    private static void refused(String part, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void batchingWaitIsBoundedAndBelowTheTimeout() {
        serve(ServeConfig.MAX_WAIT_MS, 60_000); // the bound itself is fine
        refused("--max-wait-ms: must be in [0, 10000], got 10001", () -> serve(10_001, 60_000));
        refused("--max-wait-ms: must be in [0, 10000], got 99999999999", () -> serve(99_999_999_999L, 5_000));
        refused("--max-wait-ms (5000 ms) must be below --timeout (5000 ms)", () -> serve(5_000, 5_000));
        refused("--max-wait-ms: must be in [0, 10000], got -1", () -> serve(-1, 5_000));
    }

    private static LoadBench.Plan plan(int clients, int maxNewTokens, long maxWaitMs) {
        return new LoadBench.Plan(clients, Duration.ofSeconds(1), 10, 1, maxNewTokens, maxWaitMs);
    }

    @Test
    void loadPlanChecksEveryFlag() {
        plan(LoadBench.MAX_CLIENTS, 512, 0);
        refused("--clients: must be in [1, 4096]", () -> plan(LoadBench.MAX_CLIENTS + 1, 32, 5));
        refused("--max-new-tokens: must be in [1, 512]", () -> plan(16, 513, 5));
        refused("--max-wait-ms: must be in [0, 10000], got -1", () -> plan(16, 32, -1));
        refused("--max-wait-ms: must be in [0, 10000], got 10001", () -> plan(16, 32, 10_001));
    }
}
