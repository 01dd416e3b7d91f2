package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainingJob;
import dev.resumo.train.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real tiny training — the demo's T5 on its embedded corpus, 2 steps, ROUGE at each — tracked
 * through the same path `resumo demo --tracking-uri` takes (TrainingJob chooses the trackers from
 * the config and the environment), then read back through MLflow's REST API.
 */
@Tag("mlflow")
class DemoTrainingTrackedTest {
    @Test
    void aTinyT5TrainingIsTrackedWithEveryRougeFigureArtifactsAndARegisteredVersion(@TempDir Path tmp) throws Exception {
        String uri = TrackedRun.serverFromEnvironment();
        MlflowRest rest = new MlflowRest(uri);
        String runName = "demo-" + UUID.randomUUID().toString().substring(0, 6);
        String model = "resumo-demo-" + UUID.randomUUID().toString().substring(0, 6);
        Path runDir = tmp.resolve("run");
        TrainConfig c = Demo.config(runDir, 2, 0, 42).with(Map.of("tracking-uri", uri, "experiment-name", "resumo-demo-test",
                "run-name", runName, "register-model", model));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        TrainingJob.Outcome o = Demo.run(c, StopSignal.manual(), new PrintStream(out, true, StandardCharsets.UTF_8), warnings::add);
        assertEquals("FINISHED", o.result().status());
        String runId = MlflowRunFile.read(runDir).orElseThrow(() -> new AssertionError("not tracked in MLflow:\n" + out)).runId();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("MLflow: tracking run " + runId), out.toString(StandardCharsets.UTF_8));
        assertTrue(warnings.isEmpty(), "warnings: " + warnings);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("MLflow: registered model " + model + " version 1"),
                out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("MLflow: run " + runId + " FINISHED"), out.toString(StandardCharsets.UTF_8));

        JsonNode run = rest.run(runId);
        assertEquals("FINISHED", run.path("info").path("status").asText());
        String experimentId = run.path("info").path("experiment_id").asText();
        assertEquals(new TreeMap<>(ParamFlattener.flatten(c.toMap())), MlflowRest.pairs(run.path("data").path("params")));
        int values = TrackedRun.assertServerHasEveryMetric(rest, runId, runDir);
        for (String rouge : List.of("rouge1", "rouge2", "rougeL", "rougeLsum")) {
            assertEquals(List.of(1L, 2L), new ArrayList<>(rest.history(runId, rouge).keySet()), rouge + " at each evaluation");
        }
        Map<String, String> tags = MlflowRest.pairs(run.path("data").path("tags"));
        assertEquals(RunContext.recordedVersion(), tags.get(RunTags.ENGINE_VERSION));
        assertTrue(tags.get(RunTags.DEVICE).startsWith("cpu"), tags.toString());

        // Every file of the final model, and the run's reports, byte for byte.
        List<Path> uploaded = new ArrayList<>();
        try (Stream<Path> files = Files.walk(runDir.resolve("model"))) {
            files.filter(Files::isRegularFile).forEach(uploaded::add);
        }
        for (String f : List.of("config.json", "metrics.jsonl", "evaluation.json", "predictions.jsonl")) uploaded.add(runDir.resolve(f));
        assertTrue(uploaded.stream().anyMatch(p -> p.endsWith("model/spiece.model")) && uploaded.stream().anyMatch(p -> p.endsWith("model/README.md")));
        for (Path f : uploaded) {
            String artifact = runDir.relativize(f).toString();
            assertArrayEquals(Files.readAllBytes(f), rest.download(experimentId, runId, artifact), artifact);
        }

        // The registered version carries the best evaluation's ROUGE (evaluation.json holds it).
        JsonNode best = new ObjectMapper().readTree(runDir.resolve("evaluation.json").toFile());
        JsonNode v = rest.modelVersions(model).get(0);
        assertEquals(runId, v.path("run_id").asText());
        Map<String, String> versionTags = MlflowRest.pairs(v.path("tags"));
        for (String rouge : List.of("rouge1", "rouge2", "rougeL", "rougeLsum", "eval_loss")) {
            assertEquals(best.path(rouge).asDouble(), Double.parseDouble(versionTags.get(rouge)), rouge);
        }
        assertEquals(best.path("step").asText(), versionTags.get("step"));
        System.out.println("demo T5 run " + runId + ": " + values + " metric values, " + uploaded.size()
                + " artifacts byte-equal, model " + model + " version " + v.path("version").asText());
    }
}
