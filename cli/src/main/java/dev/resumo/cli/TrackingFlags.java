package dev.resumo.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * The MLflow flags of the training commands. A run is always tracked in its run directory; with a
 * server named by --tracking-uri or MLFLOW_TRACKING_URI it is tracked there too (start one with
 * bin/mlflow-up). Credentials come only from MLFLOW_TRACKING_TOKEN or
 * MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD, never from flags (flags show in `ps`).
 */
final class TrackingFlags {
    private TrackingFlags() {}

    static void add(Options o, String defaultExperiment) {
        o.addOption(SummarizeCommand.opt("tracking-uri", "URL",
                "MLflow tracking server, e.g. http://127.0.0.1:5000 from bin/mlflow-up (default: $MLFLOW_TRACKING_URI, "
                        + "else no MLflow tracking)"));
        o.addOption(SummarizeCommand.opt("experiment-name", "NAME",
                "MLflow experiment, created when missing (default: " + defaultExperiment + ")"));
        o.addOption(SummarizeCommand.opt("run-name", "NAME", "MLflow run name (default: one MLflow makes up)"));
        o.addOption(SummarizeCommand.opt("register-model", "NAME",
                "register the final model as a new version of NAME in MLflow's Model Registry (default: not registered)"));
    }

    /** The flags given, as TrainConfig settings (flag name → value). */
    static Map<String, Object> overrides(CommandLine line) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String flag : new String[] {"tracking-uri", "experiment-name", "run-name", "register-model"}) {
            if (line.hasOption(flag)) m.put(flag, line.getOptionValue(flag));
        }
        return m;
    }
}
