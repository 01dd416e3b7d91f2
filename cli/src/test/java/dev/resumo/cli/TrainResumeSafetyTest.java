package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming must not damage the run it continues: a resume that fails (another optimizer, a path that
 * is no checkpoint) leaves every file as it was; one that works keeps the optimizer the run was
 * started with, the run's first eval loss and its start time. A run that fails on its data or its
 * --resume path creates nothing, so the same --output-dir can be used again.
 */
class TrainResumeSafetyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path tmp;
    private static Path model;
    private static Path corpus;
    private static Path settings;
    private static TinyTrainRun runner;
    private static Path run;
    private static CliRun first;

    @BeforeAll
    static void trainTwoStepsWithAdamW() throws Exception {
        TinyTrainRun setup = TinyTrainRun.create(tmp, """
                {"max-source-length": 32, "max-target-length": 8, "batch-size": 4, "eval-batch-size": 8,
                 "eval-steps": 2, "save-steps": 2, "max-new-tokens": 2, "eval-max-examples": 1}""");
        model = setup.model();
        corpus = setup.corpus();
        settings = setup.settings();
        runner = setup;
        run = tmp.resolve("run");
        first = train(run, "--max-steps", "2", "--optimizer", "adamw", "--schedule", "linear", "--warmup-steps", "10");
        assertEquals(0, first.code(), first.err());
    }

    @Test
    void aWarmupLongerThanTheRunIsWarnedAbout() {
        assertTrue(first.err().contains("warning: --warmup-steps 10 ≥ the run's 2 steps: the learning rate never reaches the peak"),
                first.err());
    }

    @Test
    void resumingWithAnotherOptimizerIsAOneLineErrorAndChangesNothing() throws Exception {
        Path copy = copyTree(run, tmp.resolve("other-optimizer"));
        List<byte[]> before = contents(copy);
        CliRun r = train(copy, "--max-steps", "4", "--resume", "auto", "--optimizer", "adafactor");
        assertEquals(2, r.code(), r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("exp_avg") || r.err().contains("\tat "), r.err());
        assertTrue(r.err().contains("the checkpoint's optimizer state is adamw's; this run asks for adafactor (pass --optimizer adamw"),
                r.err());
        List<byte[]> after = contents(copy);
        assertEquals(before.size(), after.size(), "same files");
        for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), after.get(i), "file " + i + " unchanged");
    }

    @Test
    void aResumeWithoutOptimizerContinuesWithTheRunsOwnAndKeepsItsStart() throws Exception {
        Path copy = copyTree(run, tmp.resolve("plain-resume"));
        JsonNode runBefore = JSON.readTree(copy.resolve("run.json").toFile());
        double firstLoss = JSON.readTree(Files.readAllLines(copy.resolve("metrics.jsonl")).get(0)).get("eval_loss").doubleValue();
        CliRun r = train(copy, "--max-steps", "3", "--resume", "auto");
        assertEquals(0, r.code(), r.err());
        JsonNode config = JSON.readTree(copy.resolve("config.json").toFile());
        assertEquals("adamw", config.get("optimizer").asText(), "taken from the checkpoint");
        assertEquals(3, config.get("max-steps").asInt(), "the flag given wins");
        assertTrue(r.out().contains(String.format(Locale.ROOT, "eval loss: %.4f at the start", firstLoss)), r.out());
        JsonNode runAfter = JSON.readTree(copy.resolve("run.json").toFile());
        assertEquals(runBefore.get("started"), runAfter.get("started"));
        assertEquals(1, runAfter.get("resumed").size(), runAfter.toString());
    }

    @Test
    void resumePathsThatAreNoCheckpointSayWhatTheyAre() throws Exception {
        Path copy = copyTree(run, tmp.resolve("bad-paths"));
        CliRun blank = train(copy, "--max-steps", "3", "--resume", "");
        assertEquals(2, blank.code(), blank.err());
        assertTrue(blank.err().contains("--resume is empty"), blank.err());
        CliRun modelFolder = train(copy, "--max-steps", "3", "--resume", model.toString());
        assertEquals(2, modelFolder.code(), modelFolder.err());
        assertTrue(modelFolder.err().contains("looks like a model folder"), modelFolder.err());

        Path fresh = tmp.resolve("fresh-missing-checkpoint");
        CliRun missing = train(fresh, "--max-steps", "1", "--resume", tmp.resolve("nonexistent/ckpt").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("no such checkpoint directory"), missing.err());
        assertFalse(Files.exists(fresh), "nothing created before --resume was checked");
    }

    @Test
    void aDatasetWithoutValidationLeavesNothingBehind() throws Exception {
        Path two = tmp.resolve("two.jsonl");
        Files.writeString(two, """
                {"text": "primeiro texto de exemplo", "summary": "primeiro"}
                {"text": "segundo texto de exemplo", "summary": "segundo"}
                {"text": "", "summary": "rejeitado"}
                """);
        Path out = tmp.resolve("no-validation");
        for (int attempt = 0; attempt < 2; attempt++) {
            CliRun r = CliRun.run("train", "--config", settings.toString(), "--model", model.toString(), "--dataset", two.toString(),
                    "--output-dir", out.toString(), "--max-steps", "1");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("has no validation examples"), "attempt " + attempt + ": " + r.err());
            assertFalse(Files.exists(out), "attempt " + attempt + " left " + out);
        }
    }

    @Test
    void configFilesAndIntegersAreCheckedExactly() throws Exception {
        Path dup = tmp.resolve("dup.json");
        Files.writeString(dup, "{\"lr\": 0.01, \"lr\": 0.5}");
        CliRun d = train(tmp.resolve("unused-1"), "--config", dup.toString());
        assertEquals(2, d.code(), d.err());
        assertTrue(d.err().contains("--config " + dup + ": setting 'lr' is given twice"), d.err());

        CliRun missing = train(tmp.resolve("unused-2"), "--config", tmp.resolve("nonexist.json").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("nonexist.json: no such file"), missing.err());

        CliRun seed = train(tmp.resolve("unused-3"), "--seed", "99999999999999999999");
        assertEquals(2, seed.code(), seed.err());
        assertTrue(seed.err().contains("--seed is too large (at most 9223372036854775807)")
                || seed.err().contains("--seed is too large (at most 2147483647)"), seed.err());
        CliRun batch = train(tmp.resolve("unused-4"), "--batch-size", "99999999999");
        assertEquals(2, batch.code(), batch.err());
        assertTrue(batch.err().contains("--batch-size is too large (at most 2147483647)"), batch.err());
        assertFalse(Files.exists(tmp.resolve("unused-4")));
    }

    @Test
    void anInterruptedRunExitsWithTheSignalsCode() {
        assertEquals(143, TrainCommand.interruptedExitCode("SIGTERM"));
        assertEquals(130, TrainCommand.interruptedExitCode("SIGINT"));
        assertEquals(129, TrainCommand.interruptedExitCode("SIGHUP"));
    }

    private static CliRun train(Path outputDir, String... more) {
        return runner.train(outputDir, more);
    }

    /** Every file of the run, in path order, as bytes. */
    private static List<byte[]> contents(Path dir) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) out.add(Files.readAllBytes(p));
        }
        return out;
    }

    private static Path copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return to;
    }
}
