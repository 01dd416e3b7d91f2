package dev.resumo.train.fake;

import dev.resumo.train.NonFiniteLossException;
import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Entry point for the tests that train in a separate JVM (kill -9, SIGTERM):
 * {@code FakeTrainingMain RUN_DIR STEP_DELAY_MS [flag=value ...]}.
 * Exit 0 when finished or stopped by a signal (after its checkpoint), 3 on a NaN loss.
 */
public final class FakeTrainingMain {
    private FakeTrainingMain() {}

    public static void main(String[] args) throws Exception {
        Path runDir = Path.of(args[0]);
        long delay = Long.parseLong(args[1]);
        Map<String, Object> overrides = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            overrides.put(kv[0], kv[1]);
        }
        try (StopSignal stop = StopSignal.install()) {
            TrainResult r = FakeRun.run(FakeRun.config(runDir, overrides), delay, -1, stop, System.out,
                    w -> System.err.println("warning: " + w));
            System.out.println("status " + r.status() + " step " + r.steps());
        } catch (NonFiniteLossException e) {
            System.err.println(e.getMessage());
            System.exit(3);
        }
        System.exit(0);
    }
}
