package dev.resumo.train.track.mlflow;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;

/** One piece of work waiting for the tracking server, in the order the run produced it. */
sealed interface Outgoing {

    /**
     * Finds or creates the experiment, then creates the run (or reopens the one being resumed) and
     * logs params and tags. runKey is a unique tag that finds the run again if a create call's answer was lost.
     * A resumed run also gets the values of metricsFile up to localLastStep that it lacks (see {@link ResumedMetrics}).
     */
    record OpenRun(long startMillis, Map<String, String> params, List<RunTag> tags, String resumeRunId, String runKey,
                   Path metricsFile, long localLastStep) implements Outgoing {}

    /** One metric value; consecutive ones are sent together. */
    record MetricValue(Metric metric) implements Outgoing {}

    record Tags(List<RunTag> tags) implements Outgoing {}

    /** One file of an artifact (directories are expanded into their files when they are handed over). */
    record Upload(Path file, String artifactPath) implements Outgoing {}

    /** A new version of a registered model from the run's model/ artifacts. */
    record Register(String name, String artifactPath, String description, Map<String, String> tags, String runKey)
            implements Outgoing {}

    record Terminate(RunStatus status, long endMillis) implements Outgoing {}

    /** What this is, for a warning. */
    default String describe() {
        return switch (this) {
            case OpenRun o -> "creating the run and its " + o.params().size() + " params";
            case MetricValue m -> "metric " + m.metric().getKey() + " at step " + m.metric().getStep();
            case Tags t -> t.tags().size() + " tags";
            case Upload u -> "artifact " + u.artifactPath();
            case Register r -> "registering model " + r.name();
            case Terminate t -> "run status " + t.status();
        };
    }
}
