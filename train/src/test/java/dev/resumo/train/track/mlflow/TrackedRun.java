package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.train.track.CompositeTracker;
import dev.resumo.train.track.LocalTracker;
import dev.resumo.train.track.Tracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;

/** What the MLflow tests share: the server from the environment, trackers wired as `resumo train` wires them, checks. */
final class TrackedRun {
    static final RunContext CONTEXT = new RunContext("test-engine-1.2.3", 3, "cpu");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrackedRun() {}

    /** MLFLOW_TRACKING_URI (set by .ci/run); the test is skipped, saying why, when it is not set. */
    static String serverFromEnvironment() {
        String uri = System.getenv("MLFLOW_TRACKING_URI");
        Assumptions.assumeTrue(uri != null && !uri.isBlank(),
                "MLFLOW_TRACKING_URI is not set: these tests need a real MLflow server "
                        + "(bin/mlflow-up, then export MLFLOW_TRACKING_URI=http://127.0.0.1:5000); .ci/run does both");
        return uri;
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("resumo.root", "..")).toAbsolutePath().normalize();
    }

    static MlflowSettings settings(String uri, String experiment, String runName, String registerModel) {
        return MlflowSettings.resolve(uri, experiment, runName, registerModel, Map.of()).orElseThrow()
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /** Run directory + MLflow, as the CLI wires them; the MLflow tracker is kept in holder[0]. */
    static Function<Path, Tracker> trackers(MlflowSettings s, List<String> messages, MlflowTracker[] holder) {
        return dir -> {
            MlflowTracker m = new MlflowTracker(s, dir, CONTEXT, Map.of(), messages::add, messages::add);
            holder[0] = m;
            return new CompositeTracker(List.of(new LocalTracker(dir), m));
        };
    }

    /** metrics.jsonl as key → step → values (in the order logged). */
    static Map<String, Map<Long, List<Double>>> localMetrics(Path runDir) throws IOException {
        Map<String, Map<Long, List<Double>>> out = new TreeMap<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            JsonNode n = JSON.readTree(line);
            long step = n.path("step").asLong();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (e.getKey().equals("step") || e.getKey().equals("time")) continue;
                double v = e.getValue().isTextual() ? Double.parseDouble(e.getValue().asText()) : e.getValue().asDouble();
                out.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).computeIfAbsent(step, k -> new ArrayList<>()).add(v);
            }
        }
        return out;
    }

    /** Every metric value of metrics.jsonl is on the server at its step, with the same value, and nothing else is. */
    static int assertServerHasEveryMetric(MlflowRest rest, String runId, Path runDir) throws Exception {
        Map<String, Map<Long, List<Double>>> local = localMetrics(runDir);
        assertTrue(local.containsKey("loss") && local.containsKey("eval_loss"), "the run logged metrics: " + local.keySet());
        JsonNode serverMetrics = rest.run(runId).path("data").path("metrics");
        List<String> serverKeys = new ArrayList<>();
        for (JsonNode m : serverMetrics) serverKeys.add(m.path("key").asText());
        Collections.sort(serverKeys);
        assertEquals(new ArrayList<>(local.keySet()), serverKeys, "metric keys on the server");
        int values = 0;
        for (var e : local.entrySet()) {
            Map<Long, List<Double>> server = rest.history(runId, e.getKey());
            for (var s : server.values()) Collections.sort(s);
            for (var s : e.getValue().values()) Collections.sort(s);
            // Exact: the value travels as the shortest decimal that round-trips a double, and MLflow stores doubles.
            assertEquals(e.getValue(), server, "history of " + e.getKey());
            for (var s : e.getValue().values()) values += s.size();
        }
        return values;
    }
}
