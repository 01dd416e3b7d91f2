package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo train --tracking-uri` on a small random T5 and a slice of the demo corpus, then
 * `--resume`: read back through MLflow's REST API (status, metrics by step, artifacts, registry).
 * The server is MLFLOW_TRACKING_URI (.ci/run starts one with bin/mlflow-up).
 */
@Tag("mlflow")
class TrainTrackedInMlflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String base;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private byte[] get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IOException("GET " + pathAndQuery + ": HTTP " + r.statusCode());
        return r.body();
    }

    private JsonNode json(String pathAndQuery) throws IOException, InterruptedException {
        return JSON.readTree(get(pathAndQuery));
    }

    private List<Long> steps(String runId, String key) throws IOException, InterruptedException {
        List<Long> steps = new ArrayList<>();
        for (JsonNode m : json("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=" + key).path("metrics")) {
            steps.add(m.path("step").asLong());
        }
        steps.sort(null);
        return steps;
    }

    @Test
    void trainAndResumeReportToOneMlflowRun(@TempDir Path tmp) throws Exception {
        String uri = System.getenv("MLFLOW_TRACKING_URI");
        Assumptions.assumeTrue(uri != null && !uri.isBlank(), "MLFLOW_TRACKING_URI is not set: these tests need a real MLflow "
                + "server (bin/mlflow-up, then export MLFLOW_TRACKING_URI=http://127.0.0.1:5000); .ci/run does both");
        base = uri.replaceAll("/+$", "");
        Path model = tmp.resolve("base");
        Files.createDirectories(model);
        copyResource("config.json", model.resolve("demo-config.json"));
        copyResource("spiece.model", model.resolve("spiece.model"));
        T5Checkpoint.save(T5Init.random(T5Config.load(model.resolve("demo-config.json")), new Xoshiro256Random(1)), model);
        Path corpus = tmp.resolve("corpus.jsonl");
        copyResource("corpus.jsonl", corpus);
        Path run = tmp.resolve("run");
        Path config = tmp.resolve("settings.json");
        Files.writeString(config, """
                {"max-source-length": 48, "max-target-length": 12, "batch-size": 4, "eval-batch-size": 8, "log-steps": 1,
                 "eval-steps": 2, "save-steps": 2, "max-new-tokens": 6, "eval-max-examples": 2, "lr": 0.003}""");
        String runName = "cli-" + UUID.randomUUID().toString().substring(0, 6);
        String registered = "resumo-cli-" + UUID.randomUUID().toString().substring(0, 6);
        String[] common = {"train", "--config", config.toString(), "--model", model.toString(), "--dataset", corpus.toString(),
                "--output-dir", run.toString(), "--tracking-uri", uri, "--experiment-name", "resumo-cli-test",
                "--run-name", runName, "--register-model", registered};

        Result first = run(concat(common, "--max-steps", "2"));
        assertEquals(0, first.code(), first.err());
        String runId = JSON.readTree(run.resolve("mlflow-run.json").toFile()).path("run_id").asText();
        assertTrue(first.out().contains("MLflow: tracking run " + runId), first.out());
        assertEquals("FINISHED", json("/api/2.0/mlflow/runs/get?run_id=" + runId).path("run").path("info").path("status").asText());

        Result resumed = run(concat(common, "--max-steps", "4", "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(runId, JSON.readTree(run.resolve("mlflow-run.json").toFile()).path("run_id").asText(), "the same run");
        JsonNode r = json("/api/2.0/mlflow/runs/get?run_id=" + runId).path("run");
        assertEquals("FINISHED", r.path("info").path("status").asText());
        assertEquals(List.of(1L, 2L, 3L, 4L), steps(runId, "loss"), "loss of both parts, one history");
        assertEquals(List.of(0L, 2L, 4L), steps(runId, "eval_loss"));
        for (String rouge : List.of("rouge1", "rouge2", "rougeL", "rougeLsum")) assertEquals(List.of(2L, 4L), steps(runId, rouge), rouge);

        String experimentId = r.path("info").path("experiment_id").asText();
        byte[] weights = get("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/model/model.safetensors");
        assertArrayEquals(Files.readAllBytes(run.resolve("model/model.safetensors")), weights, "the final model, byte for byte");

        // One version per finished part, both from this run.
        JsonNode versions = json("/api/2.0/mlflow/model-versions/search?filter="
                + URLEncoder.encode("name='" + registered + "'", StandardCharsets.UTF_8)).path("model_versions");
        assertEquals(2, versions.size(), versions.toString());
        for (JsonNode v : versions) {
            assertEquals(runId, v.path("run_id").asText());
            assertTrue(v.path("description").asText().contains("rouge1"), v.path("description").asText());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void copyResource(String name, Path to) throws Exception {
        try (InputStream in = TrainTrackedInMlflowTest.class.getResourceAsStream("/dev/resumo/train/demo/" + name)) {
            Files.copy(in, to);
        }
    }
}
