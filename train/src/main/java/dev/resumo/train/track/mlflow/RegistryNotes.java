package dev.resumo.train.track.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a registered model version says about itself: the figures of the evaluation that chose the
 * final model, read from the run directory's evaluation.json (written by the trainer at each new
 * best, so it also covers evaluations from before a resume).
 *
 * @param tags figure name → value, plus "step" and "best_metric"
 */
record RegistryNotes(String description, Map<String, String> tags) {

    static RegistryNotes of(Path evaluationJson, String bestMetric, String runName) {
        String who = "Fine-tuned with Resumo" + (runName == null ? "" : " (run " + runName + ")");
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("best_metric", bestMetric);
        JsonNode report = null;
        if (Files.isRegularFile(evaluationJson)) {
            try {
                report = new ObjectMapper().readTree(evaluationJson.toFile());
            } catch (IOException e) {
                report = null; // unreadable: described as missing below
            }
        }
        if (report == null || !report.isObject()) return new RegistryNotes(who + "; no evaluation was recorded.", tags);
        StringBuilder b = new StringBuilder(who).append(". Best evaluation (").append(bestMetric).append(") at step ")
                .append(report.path("step").asLong()).append(':');
        for (Map.Entry<String, JsonNode> e : report.properties()) {
            if (e.getKey().equals("step") || !e.getValue().isNumber()) continue;
            tags.put(e.getKey(), Double.toString(e.getValue().asDouble()));
            b.append(String.format(Locale.ROOT, " %s %.4f;", e.getKey(), e.getValue().asDouble()));
        }
        tags.put("step", Long.toString(report.path("step").asLong()));
        return new RegistryNotes(b.substring(0, b.length() - 1) + ".", tags);
    }
}
