package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.train.fake.FakeRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directory layout is a contract (tools and people read it): checked after a tiny run. */
class RunDirectoryContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tinyRunWritesTheDocumentedLayout(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TrainResult r = FakeRun.run(FakeRun.config(run, Map.of("max-steps", 20, "eval-steps", 10, "save-steps", 5,
                "keep-checkpoints", 1, "best-metric", "rouge1")), 0, -1, StopSignal.manual(), new PrintStream(out), w -> {});
        assertEquals("FINISHED", r.status());

        JsonNode config = JSON.readTree(run.resolve("config.json").toFile());
        assertEquals(TrainConfig.flagNames(), iterable(config.fieldNames()), "config.json holds every setting by flag name");
        assertEquals(20, config.get("max-steps").asInt());
        assertTrue(out.toString().contains("resolved configuration"), "the resolved config is printed at start");

        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertFalse(metrics.isEmpty());
        boolean sawTrain = false, sawEval = false;
        for (String line : metrics) {
            JsonNode m = JSON.readTree(line);
            assertTrue(m.has("step") && m.has("time"), line);
            sawTrain |= m.has("loss") && m.has("lr") && m.has("tokens_per_second");
            sawEval |= m.has("eval_loss") && m.has("rouge1");
        }
        assertTrue(sawTrain && sawEval, "train and eval lines in metrics.jsonl");
        assertTrue(Files.isRegularFile(run.resolve("rejected.jsonl")));
        assertEquals("FINISHED", JSON.readTree(run.resolve("run.json").toFile()).get("status").asText());

        // keep-checkpoints 1: the newest, plus the best when it is another one.
        List<Path> checkpoints;
        try (var s = Files.list(run.resolve("checkpoints"))) {
            checkpoints = s.sorted().toList();
        }
        assertTrue(checkpoints.contains(run.resolve("checkpoints/step-00000020")), checkpoints.toString());
        assertTrue(checkpoints.contains(run.resolve("checkpoints").resolve(r.bestCheckpoint())), checkpoints.toString());
        assertTrue(checkpoints.size() <= 2, checkpoints.toString());
        for (Path ck : checkpoints) {
            for (String f : List.of("model.safetensors", "optimizer.safetensors", "trainer_state.json", "config.json", "COMPLETE")) {
                assertTrue(Files.isRegularFile(ck.resolve(f)), ck + "/" + f);
            }
        }

        Path model = run.resolve("model");
        for (String f : List.of("config.json", "model.safetensors", "spiece.model", "generation_config.json", "README.md")) {
            assertTrue(Files.isRegularFile(model.resolve(f)), "model/" + f);
        }
        assertEquals("summarize: ", JSON.readTree(model.resolve("config.json").toFile())
                .at("/task_specific_params/summarization/prefix").asText(), "the prefix is saved with the model");
        assertEquals(4, JSON.readTree(model.resolve("generation_config.json").toFile()).get("max_new_tokens").asInt());
        String card = Files.readString(model.resolve("README.md"));
        assertTrue(card.contains("## Data") && card.contains("## Training") && card.contains("rouge1"), card);
        // model/ holds the best checkpoint's weights.
        assertEquals(Files.mismatch(model.resolve("model.safetensors"),
                run.resolve("checkpoints").resolve(r.bestCheckpoint()).resolve("model.safetensors")), -1L);
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
