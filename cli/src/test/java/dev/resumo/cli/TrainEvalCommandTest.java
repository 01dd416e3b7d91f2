package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `resumo train` and `resumo eval` end to end on a small random T5 (the demo's config) and a slice of the demo corpus. */
class TrainEvalCommandTest {
    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    /** Every optimizer flag is in `train --help`, and so are the optimizer settings no flag changes. */
    @Test
    void helpListsTheOptimizerFlagsAndTheFixedSettings() {
        CliRun r = run("train", "--help");
        assertEquals(0, r.code(), r.err());
        for (String flag : List.of("--optimizer <NAME>", "--lr <X>", "--schedule <NAME>", "--warmup-steps <N>",
                "--max-grad-norm <X>", "--weight-decay <X>")) {
            assertTrue(r.out().contains(flag), flag + " missing from train --help");
        }
        String joined = r.out().replaceAll("\\s+", " ");
        assertTrue(joined.contains("betas 0.9 and 0.999, eps 1e-8"), joined);
        assertTrue(joined.contains("no relative step or parameter scaling"), joined);
    }

    @Test
    void badSettingsAreOneLineErrorsNamingTheFlag(@TempDir Path tmp) throws Exception {
        for (String[] bad : List.of(
                new String[] {"--batch-size", "0", "--batch-size must be ≥ 1"},
                new String[] {"--optimizer", "sgd", "--optimizer must be one of [adafactor, adamw], got 'sgd'"},
                new String[] {"--lr", "fast", "--lr must be a number, got 'fast'"},
                // Optimizer flags (the optimizer fuzz's CLI check): each names the flag and the value.
                new String[] {"--lr", "-1e-3", "--lr must be a positive number, got -0.001"},
                new String[] {"--lr", "NaN", "--lr must be a positive number, got NaN"},
                new String[] {"--weight-decay", "NaN", "--weight-decay must be a finite number ≥ 0, got NaN"},
                new String[] {"--weight-decay", "1e9", "--weight-decay 1.0E9 with --lr 0.001: lr × weight decay must be below 1"},
                new String[] {"--max-grad-norm", "-1", "--max-grad-norm must be a finite number ≥ 0 (0 = no clipping), got -1.0"},
                new String[] {"--warmup-steps", "-1", "--warmup-steps must be ≥ 0, got -1"},
                new String[] {"--schedule", "polynomial", "--schedule must be one of [constant, cosine, inverse-sqrt, linear], got 'polynomial'"})) {
            CliRun r = run("train", "--model", "x", "--dataset", "y", bad[0], bad[1]);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(bad[2]), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        Path config = tmp.resolve("c.json");
        Files.writeString(config, "{\"batch-size\": 4, \"learning-rate\": 0.1}");
        CliRun r = run("train", "--config", config.toString(), "--model", "x", "--dataset", "y");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown setting 'learning-rate'"), r.err());
        CliRun missing = run("train", "--model", tmp.resolve("nope").toString(), "--dataset", config.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--model"), missing.err());
        // eval checks --max-examples before it reads the dataset (which does not even exist here)
        CliRun negative = run("eval", "--model", "x", "--dataset", tmp.resolve("no-such.jsonl").toString(), "--max-examples", "-1");
        assertEquals(2, negative.code());
        assertEquals("resumo eval: --max-examples: must be ≥ 0, got -1", negative.err().strip());
    }

    @Test
    void trainThenResumeThenEvaluate(@TempDir Path tmp) throws Exception {
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
                {"max-source-length": 48, "max-target-length": 12, "batch-size": 4, "eval-batch-size": 8,
                 "eval-steps": 2, "save-steps": 2, "max-new-tokens": 6, "eval-max-examples": 2, "lr": 0.003}""");

        CliRun first = run("train", "--config", config.toString(), "--model", model.toString(), "--dataset", corpus.toString(),
                "--output-dir", run.toString(), "--max-steps", "2");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("resolved configuration"), first.out());
        assertTrue(first.out().contains("FINISHED after 2 steps"), first.out());
        // Where the run's time went, phase by phase (PhaseTimesTest checks that each phase gets its own time).
        assertTrue(first.out().lines().anyMatch(l -> l.matches("time: startup \\d+\\.\\d s \\(JVM, model load\\), setup .*"
                + "training steps \\d+\\.\\d s, eval loss .*checkpoints .*model export \\d+\\.\\d s")), first.out());
        assertTrue(Files.isRegularFile(run.resolve("model/model.safetensors")));
        assertTrue(Files.readString(run.resolve("config.json")).contains("\"max-source-length\" : 48"), "config file + flags resolved");

        CliRun again = run("train", "--config", config.toString(), "--model", model.toString(), "--dataset", corpus.toString(),
                "--output-dir", run.toString(), "--max-steps", "4");
        assertEquals(2, again.code(), "a fresh run must not overwrite checkpoints: " + again.err());
        assertTrue(again.err().contains("--resume auto"), again.err());

        CliRun resumed = run("train", "--config", config.toString(), "--model", model.toString(), "--dataset", corpus.toString(),
                "--output-dir", run.toString(), "--max-steps", "4", "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resumed from") && resumed.out().contains("step-00000002"), resumed.out());
        assertTrue(resumed.out().contains("FINISHED after 4 steps"), resumed.out());

        Path predictions = tmp.resolve("pred.jsonl");
        CliRun eval = run("eval", "--model", run.resolve("model").toString(), "--dataset", corpus.toString(), "--split", "test",
                "--max-examples", "3", "--max-source-length", "48", "--bootstrap-samples", "20", "--predictions", predictions.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.err().contains("3 test examples summarized"), "progress on stderr: " + eval.err());
        assertTrue(eval.out().contains("rouge1") && eval.out().contains("Lead-3 baseline"), eval.out());
        assertEquals(3, Files.readAllLines(predictions).size());
        assertFalse(eval.err().contains("\tat "), eval.err());

        // --json: stdout is one JSON document, the model's report and Lead-3's by name (it was a progress
        // line and then two unlabeled documents, which no JSON reader takes).
        CliRun json = run("eval", "--model", run.resolve("model").toString(), "--dataset", corpus.toString(), "--split", "test",
                "--max-examples", "2", "--max-source-length", "48", "--bootstrap-samples", "10", "--json");
        assertEquals(0, json.code(), json.err());
        ObjectMapper mapper = new ObjectMapper();
        JsonNode report;
        try (var parser = mapper.createParser(json.out())) {
            report = mapper.readTree(parser);
            assertEquals(null, parser.nextToken(), "nothing after the one object: " + json.out());
        }
        assertTrue(report.isObject(), json.out());
        assertEquals(List.of("model", "lead3"), iterable(report.fieldNames()));
        for (String name : List.of("model", "lead3")) {
            assertEquals(2, report.get(name).get("count").asInt(), json.out());
            assertTrue(report.get(name).get("rouge1").has("fmeasure") && report.get(name).has("bootstrap"), json.out());
        }
        assertTrue(json.err().contains("2 test examples summarized"), json.err());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    private static void copyResource(String name, Path to) throws Exception {
        try (InputStream in = TrainEvalCommandTest.class.getResourceAsStream("/dev/resumo/train/demo/" + name)) {
            Files.copy(in, to);
        }
    }
}
