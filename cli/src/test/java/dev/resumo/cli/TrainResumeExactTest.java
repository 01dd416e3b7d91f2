package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.train.checkpoint.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo train --output-dir RUN --resume auto`, with no other flag, continues a run killed after
 * any of its checkpoints to what the uninterrupted `resumo train` wrote: the settings, the model,
 * the dataset and its split come back from the checkpoint's config.json, and the model, the last
 * checkpoint's optimizer state, metrics.jsonl and the best evaluation are the same. The killed run
 * is the uninterrupted one cut back to a checkpoint, as kill -9 leaves it: later checkpoints and
 * model/ gone, the metrics lines logged after the checkpoint still there.
 */
class TrainResumeExactTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunKilledAfterEachCheckpointResumesWithoutFlagsToTheSameEnd(@TempDir Path tmp) throws Exception {
        // grad-accum 2 over batches of 3 (the last one short), dropout, AdamW with weight decay and a
        // linear schedule, ROUGE-chosen best with patience, epochs crossed: 8 steps.
        TinyTrainRun setup = TinyTrainRun.create(tmp, """
                {"max-source-length": 32, "max-target-length": 8, "batch-size": 3, "eval-batch-size": 8, "grad-accum": 2,
                 "max-steps": 8, "eval-steps": 3, "save-steps": 2, "keep-checkpoints": 100, "log-steps": 1,
                 "optimizer": "adamw", "lr": 0.003, "weight-decay": 0.01, "schedule": "linear", "warmup-steps": 2,
                 "best-metric": "rouge1", "patience": 3, "max-new-tokens": 2, "eval-max-examples": 2, "seed": 5}""");
        // 20 rows: a training split of a few batches, so the 8 steps cross epochs (each one shuffled anew).
        Files.write(setup.corpus(), Files.readAllLines(setup.corpus()).subList(0, 20));
        Path straight = tmp.resolve("straight");
        CliRun done = setup.train(straight);
        assertEquals(0, done.code(), done.err());
        assertTrue(metrics(straight).stream().anyMatch(m -> m.get("epoch") instanceof Number e && e.doubleValue() > 1),
                "the run crosses an epoch: " + metrics(straight));

        for (long killedAfter : List.of(2L, 4L, 6L)) {
            Path run = tmp.resolve("killed-" + killedAfter);
            copyTree(straight, run);
            for (Path ck : checkpoints(run)) {
                if (Long.parseLong(ck.getFileName().toString().substring(5)) > killedAfter) Durable.deleteRecursively(ck);
            }
            Durable.deleteRecursively(run.resolve("model"));
            CliRun resumed = CliRun.run("train", "--output-dir", run.toString(), "--resume", "auto");
            assertEquals(0, resumed.code(), resumed.err());
            assertTrue(resumed.out().contains("resumed from"), resumed.out());
            assertTrue(!resumed.err().contains("differ") && !resumed.err().contains("not match"), resumed.err());

            String what = "killed after checkpoint " + killedAfter;
            assertEquals(metrics(straight), metrics(run), "metrics.jsonl, " + what);
            for (String f : List.of("model/model.safetensors", "checkpoints/step-00000008/model.safetensors",
                    "checkpoints/step-00000008/optimizer.safetensors", "evaluation.json", "predictions.jsonl")) {
                assertEquals(-1L, Files.mismatch(straight.resolve(f), run.resolve(f)), f + ", " + what);
            }
        }
    }

    private static List<Path> checkpoints(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d+")).toList();
        }
    }

    /** metrics.jsonl without its wall-clock values (time, throughput), line by line. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> metrics(Path run) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Map<String, Object> m = new TreeMap<>(JSON.readValue(line, Map.class));
            m.keySet().removeIf(k -> k.equals("time") || k.endsWith("per_second") || k.endsWith("seconds"));
            out.add(m);
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
