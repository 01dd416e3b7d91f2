package dev.resumo.train.track;

import dev.resumo.train.TrainConfig;
import dev.resumo.train.track.mlflow.MlflowSettings;
import dev.resumo.train.track.mlflow.MlflowTracker;
import dev.resumo.train.track.mlflow.RunContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Chooses a run's trackers at start: the run directory (unless --tracker none) and MLflow when a server is named. */
public final class Trackers {
    private Trackers() {}

    /**
     * @param mlflow from {@link MlflowSettings#resolve}: present when --tracking-uri or MLFLOW_TRACKING_URI is set
     * @param info where the MLflow run's address is printed
     * @param warn where tracking problems are reported
     */
    public static Tracker open(TrainConfig config, Path runDir, Optional<MlflowSettings> mlflow, RunContext context,
                               Map<String, String> env, Consumer<String> info, Consumer<String> warn) {
        List<Tracker> chosen = new ArrayList<>();
        if (!config.tracker().equals("none")) chosen.add(new LocalTracker(runDir));
        mlflow.ifPresent(s -> chosen.add(new MlflowTracker(s, runDir, context, env, info, warn)));
        return switch (chosen.size()) {
            case 0 -> new NoTracker();
            case 1 -> chosen.getFirst();
            default -> new CompositeTracker(chosen);
        };
    }
}
