package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resumo.train.NonFiniteLossException;
import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.fake.Subprocess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trainings tracked in a real MLflow server (MLFLOW_TRACKING_URI, started by .ci/run with
 * bin/mlflow-up), read back through MLflow's REST API: params, every metric at every step, tags,
 * artifacts byte for byte, status, the Model Registry; failed, SIGTERM'd and resumed runs.
 */
@Tag("mlflow")
class MlflowTrackingTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static String uri;
    private static MlflowRest rest;
    private static final String EXPERIMENT = "resumo-test-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void server() {
        uri = TrackedRun.serverFromEnvironment();
        rest = new MlflowRest(uri);
    }

    @Test
    void aTrainedRunIsReadBackFromTheServer(@TempDir Path tmp) throws Exception {
        Path runDir = tmp.resolve("run");
        String runName = "tiny-" + UUID.randomUUID().toString().substring(0, 6);
        String model = "resumo-test-model-" + UUID.randomUUID().toString().substring(0, 6);
        // A setting longer than MLflow's 6000-character param limit (the fake model ignores the prefix).
        String longPrefix = "resuma: " + "muito longo ".repeat(600);
        TrainConfig c = FakeRun.config(runDir, Map.of("experiment-name", EXPERIMENT, "best-metric", "rouge1", "prefix", longPrefix));
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        MlflowTracker[] tracker = new MlflowTracker[1];
        TrainResult r = FakeRun.run(c, 0, -1, StopSignal.manual(), QUIET, messages::add,
                TrackedRun.trackers(TrackedRun.settings(uri, EXPERIMENT, runName, model), messages, tracker));
        assertEquals("FINISHED", r.status());
        String runId = tracker[0].runId();
        assertNotNull(runId, "the run was created: " + messages);
        assertEquals(runId, MlflowRunFile.read(runDir).orElseThrow().runId(), "the run directory names the MLflow run");
        assertTrue(messages.stream().noneMatch(m -> m.contains("not delivered") || m.contains("refused") || m.contains("lost")),
                "no losses: " + messages);

        JsonNode run = rest.run(runId);
        JsonNode info = run.path("info");
        assertEquals("FINISHED", info.path("status").asText());
        assertEquals(runName, info.path("run_name").asText());
        assertTrue(info.path("end_time").asLong() >= info.path("start_time").asLong() && info.path("start_time").asLong() > 0);
        String experimentId = info.path("experiment_id").asText();

        // Params: the resolved configuration, flattened, every key with its value.
        Map<String, String> params = MlflowRest.pairs(run.path("data").path("params"));
        Map<String, String> expected = new java.util.TreeMap<>(ParamFlattener.flatten(c.toMap()));
        assertEquals(expected, params);
        assertEquals("0.01", params.get("lr"));
        assertEquals("30", params.get("max-steps"));
        assertEquals("null", params.get("resume"));
        assertEquals(6000, params.get("prefix").length(), "cut to the server's limit");
        assertTrue(params.get("prefix").endsWith(MlflowLimits.TRUNCATED) && longPrefix.startsWith(
                params.get("prefix").substring(0, 6000 - MlflowLimits.TRUNCATED.length())), "the start of the value, then the marker");

        // Metrics: every value of metrics.jsonl, at its step, exactly.
        int values = TrackedRun.assertServerHasEveryMetric(rest, runId, runDir);
        Map<Long, List<Double>> loss = rest.history(runId, "loss");
        assertEquals(List.of(5L, 10L, 15L, 20L, 25L, 30L), new ArrayList<>(loss.keySet()), "loss every --log-steps 5");
        assertEquals(List.of(0L, 10L, 20L, 30L), new ArrayList<>(rest.history(runId, "eval_loss").keySet()));
        assertEquals(List.of(10L, 20L, 30L), new ArrayList<>(rest.history(runId, "rouge1").keySet()), "ROUGE at each evaluation");
        for (String key : List.of("lr", "grad_norm", "tokens_per_second")) {
            assertEquals(loss.keySet(), rest.history(runId, key).keySet(), key);
        }
        System.out.println("MLflow run " + runId + ": " + params.size() + " params and " + values + " metric values checked");

        // Tags: engine version, host, threads, device, final status.
        Map<String, String> tags = MlflowRest.pairs(run.path("data").path("tags"));
        assertEquals("test-engine-1.2.3", tags.get(RunTags.ENGINE_VERSION));
        assertEquals("3", tags.get(RunTags.THREADS));
        assertEquals("cpu", tags.get(RunTags.DEVICE));
        assertEquals(java.net.InetAddress.getLocalHost().getHostName(), tags.get(RunTags.HOST));
        assertEquals("FINISHED", tags.get(RunTags.STATUS));
        assertEquals(runName, tags.get("mlflow.runName"));
        assertEquals("LOCAL", tags.get("mlflow.source.type"));
        assertEquals(System.getProperty("user.name"), tags.get(RunTags.USER));
        assertEquals(System.getProperty("user.name"), info.path("user_id").asText(), "the run's user, as the UI shows it");
        RunTags.gitCommit(Map.of()).ifPresent(commit -> assertEquals(commit, tags.get(RunTags.GIT_COMMIT), "the checkout's commit"));

        // Artifacts: the run directory's files and the final model, byte for byte.
        Map<String, Long> root = rest.listArtifacts(runId, "");
        for (String name : List.of("config.json", "metrics.jsonl", "model")) assertTrue(root.containsKey(name), name + " in " + root);
        Map<String, Long> modelFiles = rest.listArtifacts(runId, "model");
        try (var files = Files.list(runDir.resolve("model"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String path = "model/" + f.getFileName();
                assertEquals(Files.size(f), modelFiles.get(path), path + " in " + modelFiles);
            }
        }
        assertTrue(modelFiles.containsKey("model/README.md"), "the model card");
        assertArrayEquals(Files.readAllBytes(runDir.resolve("model/model.safetensors")),
                rest.download(experimentId, runId, "model/model.safetensors"));
        byte[] configArtifact = rest.download(experimentId, runId, "config.json");
        assertArrayEquals(Files.readAllBytes(runDir.resolve("config.json")), configArtifact);
        assertTrue(new String(configArtifact, java.nio.charset.StandardCharsets.UTF_8).contains(longPrefix.strip()),
                "the whole config, long value included, is the config.json artifact");
        assertArrayEquals(Files.readAllBytes(runDir.resolve("metrics.jsonl")), rest.download(experimentId, runId, "metrics.jsonl"));

        // Model Registry: a version made from this run's model, with the best evaluation's ROUGE.
        JsonNode versions = rest.modelVersions(model);
        assertEquals(1, versions.size(), versions.toString());
        JsonNode v = versions.get(0);
        assertEquals("1", v.path("version").asText());
        assertEquals(runId, v.path("run_id").asText());
        assertTrue(v.path("source").asText().endsWith("/" + runId + "/artifacts/model"), v.path("source").asText());
        Map<String, String> versionTags = MlflowRest.pairs(v.path("tags"));
        double bestRouge = rest.history(runId, "rouge1").values().stream().flatMap(List::stream).mapToDouble(d -> d).max().orElseThrow();
        assertEquals(bestRouge, Double.parseDouble(versionTags.get("rouge1")), "the best evaluation's ROUGE-1");
        assertEquals("rouge1", versionTags.get("best_metric"));
        assertTrue(v.path("description").asText().contains("rouge1 "), v.path("description").asText());
    }

    @Test
    void aFailingRunEndsFailedWithItsMessage(@TempDir Path tmp) throws Exception {
        Path runDir = tmp.resolve("run");
        TrainConfig c = FakeRun.config(runDir, Map.of("experiment-name", EXPERIMENT, "save-steps", 100, "eval-steps", 100));
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        MlflowTracker[] tracker = new MlflowTracker[1];
        // The 7th forward pass returns NaN: the trainer stops with an error.
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> FakeRun.run(c, 0, 7, StopSignal.manual(),
                QUIET, messages::add, TrackedRun.trackers(TrackedRun.settings(uri, EXPERIMENT, "failing", null), messages, tracker)));
        JsonNode run = rest.run(tracker[0].runId());
        assertEquals("FAILED", run.path("info").path("status").asText());
        Map<String, String> tags = MlflowRest.pairs(run.path("data").path("tags"));
        assertEquals(e.getMessage(), tags.get(RunTags.ERROR));
        assertTrue(tags.get(RunTags.ERROR).contains("loss is NaN at step 7"), tags.get(RunTags.ERROR));
        assertEquals(List.of(5L), new ArrayList<>(rest.history(tracker[0].runId(), "loss").keySet()), "metrics before the failure");
    }

    /**
     * The server refuses a param after it created the run: MLflow 2.17 refuses the key "bad?key" (400,
     * "Names may only contain alphanumerics, ..."). Resumo's own keys are flag names the server takes;
     * this stands for any refusal that comes after the run exists (an older server's limits, a proxy's
     * 4xx). Tracking then stops, and the run was left RUNNING on the server forever: it must end
     * FAILED, with one line saying which param and what the server said.
     */
    @Test
    void aParamRefusedAfterTheRunExistsEndsTheRunFailedNamingIt(@TempDir Path tmp) throws Exception {
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        MlflowTracker t = new MlflowTracker(TrackedRun.settings(uri, EXPERIMENT, "refused-param", null), tmp.resolve("run"),
                TrackedRun.CONTEXT, Map.of(), messages::add, messages::add);
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        params.put("lr", 0.01);
        params.put("bad?key", "some value");
        t.start(params);
        t.metrics(1, Map.of("loss", 2.5));
        t.end("FINISHED");
        assertNotNull(t.runId(), "the run was created: " + messages);

        JsonNode run = rest.run(t.runId());
        assertEquals("FAILED", run.path("info").path("status").asText(), messages.toString());
        assertTrue(run.path("info").path("end_time").asLong() > 0, "an end time: " + run);
        List<String> refusals = messages.stream().filter(m -> m.contains("the server refused param")).toList();
        assertEquals(1, refusals.size(), messages.toString());
        String line = refusals.getFirst();
        assertTrue(line.startsWith("MLflow: the server refused param 'bad?key' = 'some value' of run " + t.runId() + " ("), line);
        assertTrue(line.contains("HTTP 400") && line.contains("Names may only contain alphanumerics"), "the server's message: " + line);
        assertTrue(line.contains("the run is marked FAILED on the server"), line);
        assertFalse(line.contains("\n"), "one line: " + line);
        String error = MlflowRest.pairs(run.path("data").path("tags")).get(RunTags.ERROR);
        assertTrue(error != null && error.startsWith("MLflow refused param 'bad?key'"), "the reason on the run: " + error);
    }

    @Test
    void aSigtermedRunEndsKilledAndItsResumptionContinuesTheSameRun(@TempDir Path tmp) throws Exception {
        Path runDir = tmp.resolve("run");
        Path log = tmp.resolve("child.log");
        String runName = "sigterm-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "--add-modules", "jdk.incubator.vector", // the engine's kernels (gradient clipping too)
                "-cp", System.getProperty("java.class.path"), TrackedTrainingMain.class.getName(),
                runDir.toString(), "40", runName, "experiment-name=" + EXPERIMENT, "max-steps=200", "save-steps=5");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MLFLOW_TRACKING_URI", uri);
        Process p = pb.start();
        Subprocess.awaitCheckpoint(p, runDir, 10, log);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the child did not exit after SIGTERM:\n" + Files.readString(log));
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        String runId = MlflowRunFile.read(runDir).orElseThrow(() -> new AssertionError("no mlflow-run.json:\n" + output)).runId();
        JsonNode killed = rest.run(runId);
        assertEquals("KILLED", killed.path("info").path("status").asText(), output);
        assertEquals("INTERRUPTED", MlflowRest.pairs(killed.path("data").path("tags")).get(RunTags.STATUS));
        long stoppedAt = Subprocess.newestCompleteStep(runDir);
        assertTrue(stoppedAt >= 10 && stoppedAt < 200, "stopped mid-run at " + stoppedAt);

        // Resume in this JVM: same run directory, --resume auto, a shorter total to finish quickly.
        long total = stoppedAt + 10;
        TrainConfig resumed = FakeRun.config(runDir, Map.of("experiment-name", EXPERIMENT, "max-steps", total, "save-steps", 5,
                "resume", "auto"));
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        MlflowTracker[] tracker = new MlflowTracker[1];
        TrainResult r = FakeRun.run(resumed, 0, -1, StopSignal.manual(), QUIET, messages::add,
                TrackedRun.trackers(TrackedRun.settings(uri, EXPERIMENT, runName, null), messages, tracker));
        assertEquals("FINISHED", r.status());
        assertEquals(runId, tracker[0].runId(), "the resumed training continues the same MLflow run");
        JsonNode finished = rest.run(runId);
        assertEquals("FINISHED", finished.path("info").path("status").asText());
        assertEquals(1, rest.runsNamed(finished.path("info").path("experiment_id").asText(), runName).size(), "one run, not two");
        // The first values of params stay; what changed on resume is noted.
        Map<String, String> params = MlflowRest.pairs(finished.path("data").path("params"));
        assertEquals("200", params.get("max-steps"));
        assertEquals("null", params.get("resume"));
        String changed = MlflowRest.pairs(finished.path("data").path("tags")).get(ResumedParams.TAG);
        assertTrue(changed.contains("max-steps: 200 → " + total) && changed.contains("resume: null → auto"), changed);
        // Metrics of both parts, one history: exactly what the run directory holds (trimmed at the checkpoint on resume).
        TrackedRun.assertServerHasEveryMetric(rest, runId, runDir);
        assertEquals(total, Collections.max(rest.history(runId, "loss").keySet()));
    }
}
