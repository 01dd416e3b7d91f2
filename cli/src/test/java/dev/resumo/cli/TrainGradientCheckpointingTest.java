package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo train --gradient-checkpointing` trains the numbers of the plain run: the same losses and
 * gradient norms step by step (dropout on, two micro-batches a step), within 1e-5 relative — the
 * forward is the same bits, the gradients differ by the summation order of tensors every block
 * reads (GradientCheckpointingTest: ≤ 3e-7 of a gradient's largest element), and Adafactor carries
 * that over a few steps. The setting is recorded in config.json and the model card.
 */
class TrainGradientCheckpointingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSameRunWithLessMemory(@TempDir Path tmp) throws Exception {
        TinyTrainRun setup = TinyTrainRun.create(tmp, """
                {"max-source-length": 32, "max-target-length": 8, "batch-size": 3, "grad-accum": 2, "max-steps": 4,
                 "eval-steps": 4, "save-steps": 4, "log-steps": 1, "max-new-tokens": 2, "eval-max-examples": 2, "seed": 3}""");
        Files.write(setup.corpus(), Files.readAllLines(setup.corpus()).subList(0, 20));
        CliRun plain = setup.train(tmp.resolve("plain"));
        assertEquals(0, plain.code(), plain.err());
        CliRun checkpointed = setup.train(tmp.resolve("checkpointed"), "--gradient-checkpointing");
        assertEquals(0, checkpointed.code(), checkpointed.err());

        List<JsonNode> a = steps(tmp.resolve("plain")), b = steps(tmp.resolve("checkpointed"));
        assertEquals(4, a.size(), "a logged line per step");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            for (String key : List.of("loss", "grad_norm")) {
                double x = a.get(i).get(key).asDouble(), y = b.get(i).get(key).asDouble();
                assertTrue(Math.abs(x - y) <= 1e-5 * Math.abs(x), "step " + (i + 1) + " " + key + ": " + x + " plain, " + y + " checkpointed");
            }
        }
        assertTrue(JSON.readTree(tmp.resolve("checkpointed/config.json").toFile()).get("gradient-checkpointing").asBoolean());
        assertFalse(JSON.readTree(tmp.resolve("plain/config.json").toFile()).get("gradient-checkpointing").asBoolean());
        String card = Files.readString(tmp.resolve("checkpointed/model/README.md"));
        assertTrue(card.contains("| gradient checkpointing | on |"), card);
    }

    /** The training lines of metrics.jsonl (those with a grad_norm). */
    private static List<JsonNode> steps(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode m = JSON.readTree(line);
            if (m.has("grad_norm")) out.add(m);
        }
        return out;
    }
}
