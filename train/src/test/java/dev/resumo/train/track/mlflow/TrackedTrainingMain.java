package dev.resumo.train.track.mlflow;

import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.track.Trackers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A training in its own JVM tracked in MLflow as `resumo train` tracks it (run directory + the
 * server of MLFLOW_TRACKING_URI), for the SIGTERM test:
 * {@code TrackedTrainingMain RUN_DIR STEP_DELAY_MS RUN_NAME [flag=value ...]}.
 */
public final class TrackedTrainingMain {
    private TrackedTrainingMain() {}

    public static void main(String[] args) throws Exception {
        Path runDir = Path.of(args[0]);
        long delay = Long.parseLong(args[1]);
        String runName = args[2];
        Map<String, Object> overrides = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            overrides.put(kv[0], kv[1]);
        }
        TrainConfig c = FakeRun.config(runDir, overrides);
        var mlflow = MlflowSettings.resolve(null, c.experimentName(), runName, null, System.getenv());
        try (StopSignal stop = StopSignal.install()) {
            TrainResult r = FakeRun.run(c, delay, -1, stop, System.out, w -> System.err.println("warning: " + w),
                    dir -> Trackers.open(c, dir, mlflow, TrackedRun.CONTEXT, System.getenv(), System.out::println,
                            w -> System.err.println("warning: " + w)));
            System.out.println("status " + r.status() + " step " + r.steps());
        }
        System.exit(0);
    }
}
