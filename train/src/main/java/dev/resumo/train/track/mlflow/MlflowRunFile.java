package dev.resumo.train.track.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.train.checkpoint.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * mlflow-run.json in the run directory: which MLflow run this training reports to, so that a
 * resumed training (--resume) continues the same run instead of starting another.
 */
public final class MlflowRunFile {
    public static final String NAME = "mlflow-run.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param url where the run is shown in the MLflow UI */
    public record Entry(String trackingUri, String experimentId, String runId, String url) {}

    private MlflowRunFile() {}

    static void write(Path runDir, Entry e) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("tracking_uri", e.trackingUri());
        n.put("experiment_id", e.experimentId());
        n.put("run_id", e.runId());
        n.put("url", e.url());
        // Durably (fsync'd, renamed into place, folder synced): after a power cut, a checkpoint that
        // survived without this file would resume into a second MLflow run instead of this one.
        Durable.createDirectories(runDir);
        Durable.writeAtomically(runDir.resolve(NAME), JSON.writeValueAsString(n));
    }

    /** The entry, when the run directory has one that is readable. */
    public static Optional<Entry> read(Path runDir) {
        Path file = runDir.resolve(NAME);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            JsonNode n = JSON.readTree(file.toFile());
            String runId = n.path("run_id").asText("");
            if (runId.isEmpty()) return Optional.empty();
            return Optional.of(new Entry(n.path("tracking_uri").asText(""), n.path("experiment_id").asText(""), runId,
                    n.path("url").asText("")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
