package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * --output-dir of `train` and `demo` must never cost data: refused (exit 2, one line naming the flag)
 * when it is blank, a file, a non-empty directory that is not a run, or overlaps the model or the
 * dataset — and all of that before the model is loaded. The model folder here holds no weights at
 * all: reaching the model loader would fail with a --model error instead of the expected one.
 */
class TrainOutputDirSafetyTest {
    @TempDir Path tmp;
    private Path model;
    private Path dataset;

    @BeforeEach
    void inputs() throws Exception {
        model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{\"model_type\": \"t5\"}");
        Path data = Files.createDirectories(tmp.resolve("data"));
        dataset = data.resolve("corpus.jsonl");
        Files.writeString(dataset, "{\"text\": \"a\", \"summary\": \"b\"}\n");
    }

    private CliRun train(String outputDir, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--model", model.toString(), "--dataset", dataset.toString(),
                "--max-steps", "1", "--output-dir", outputDir));
        args.addAll(List.of(more));
        return CliRun.run(args.toArray(String[]::new));
    }

    private static void assertRefused(CliRun r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "expected '" + f + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("internal error"), r.err());
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aNonEmptyDirectoryThatIsNotARunIsLeftAlone() throws Exception {
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        Files.writeString(victim.resolve("config.json"), "precious\n");
        Files.createDirectories(victim.resolve("model"));
        for (String[] extra : List.of(new String[0], new String[] {"--resume", "auto"})) {
            assertRefused(train(victim.toString(), extra), "--output-dir " + victim, "is not empty and is not a Resumo run");
        }
        assertRefused(CliRun.run("demo", "--output-dir", victim.toString()), "--output-dir " + victim, "is not empty");
        assertEquals("precious\n", Files.readString(victim.resolve("config.json")));
        assertEquals(List.of("", "config.json", "model"), listing(victim), "nothing added");
    }

    /**
     * What a training killed (kill -9) while writing its first config.json leaves: the lock file,
     * checkpoints/ and the half-written temporary config. It was refused as "not a Resumo run", even
     * with --resume auto: the run could only be abandoned. The lock file marks it as one.
     */
    @Test
    void aRunKilledBeforeItsConfigWasWrittenCanBeStartedAgain() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run/checkpoints")).getParent();
        Files.writeString(run.resolve(dev.resumo.train.run.RunLock.NAME), "4242\n");
        Files.writeString(run.resolve(".config.json.tmp-4242"), "{\n  \"model\" : \"");
        assertRefused(train(run.toString()), "--output-dir " + run, "holds a Resumo run without a complete checkpoint",
                "pass --resume auto");
        // Past the run directory's check: what stops it now is this test's model folder, which holds no weights.
        CliRun resumed = train(run.toString(), "--resume", "auto");
        assertEquals(2, resumed.code(), resumed.err());
        assertFalse(resumed.err().contains("--output-dir"), resumed.err());
        assertTrue(resumed.err().contains("--model"), resumed.err());
    }

    @Test
    void theRunNeverWritesIntoOrAroundWhatItReads() throws Exception {
        List<String> modelBefore = listing(model);
        assertRefused(train(model.toString()), "--output-dir " + model, "is what --model reads");
        assertRefused(train(model.resolve("run").toString()), "is inside what --model reads");
        assertFalse(Files.exists(model.resolve("run")), "not created");
        // A symlink to the model folder is the model folder.
        Path link = Files.createSymbolicLink(tmp.resolve("link"), model);
        assertRefused(train(link.resolve("run").toString()), "is inside what --model reads");
        // The folder above the dataset (checked before "not empty": it names the real problem).
        assertRefused(train(dataset.getParent().toString()), "contains what --dataset reads");
        assertEquals(modelBefore, listing(model));
    }

    @Test
    void blankPathsAndFilesAreRefused() throws Exception {
        assertRefused(train(""), "--output-dir must not be empty");
        assertRefused(train("   "), "--output-dir must not be empty");
        assertRefused(CliRun.run("demo", "--output-dir", ""), "--output-dir must not be empty");
        Path file = Files.writeString(tmp.resolve("notes.txt"), "keep");
        assertRefused(train(file.toString()), "--output-dir " + file, "is a file, not a directory");
        assertRefused(train(file.resolve("sub").toString()), "is a file, not a directory");
        assertRefused(CliRun.run("demo", "--output-dir", file.toString()), "is a file, not a directory");
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void demoRefusesAnExistingRunWithoutMentioningResume() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run/checkpoints/step-00000004"));
        Files.writeString(run.resolve("COMPLETE"), "step 4\n");
        Files.writeString(tmp.resolve("run/config.json"), "{}");
        CliRun demo = CliRun.run("demo", "--output-dir", tmp.resolve("run").toString());
        assertRefused(demo, "already holds a Resumo run with checkpoints", "choose a new directory");
        assertFalse(demo.err().contains("--resume"), "demo has no --resume: " + demo.err());
        assertRefused(train(tmp.resolve("run").toString()), "already has checkpoints; pass --resume auto");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void demoNumbersOutOfRangeAreRefusedBeforeAnythingRuns() {
        String out = tmp.resolve("demo").toString();
        assertRefused(CliRun.run("demo", "--output-dir", out, "--max-steps", "0"), "--max-steps must be ≥ 1, got 0");
        assertRefused(CliRun.run("demo", "--output-dir", out, "--max-steps", "-5"), "--max-steps must be ≥ 1, got -5");
        assertRefused(CliRun.run("demo", "--output-dir", out, "--threads", "100000"), "--threads must be ≤ " + dev.resumo.train.TrainConfig.MAX_THREADS);
        assertRefused(CliRun.run("demo", "--output-dir", out, "--threads", "-1"), "--threads");
        assertFalse(Files.exists(tmp.resolve("demo")), "nothing written");
    }

    @Test
    void threadsHasAnUpperBound() {
        assertRefused(train(tmp.resolve("new").toString(), "--threads", "100000"), "--threads must be ≤ " + dev.resumo.train.TrainConfig.MAX_THREADS, "got 100000");
    }

    /** Was a negative array size in the first step (train accepted 100000000). */
    @Test
    void sequenceLengthsAboveTheCeilingAreRefusedBeforeTraining() {
        assertRefused(train(tmp.resolve("new").toString(), "--max-source-length", "8193"),
                "--max-source-length must be ≤ " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH, "got 8193");
        assertRefused(train(tmp.resolve("new").toString(), "--max-target-length", "100000000"), "--max-target-length must be ≤ ");
    }

    /** Was caught only by the final evaluation, after the whole training had run. */
    @Test
    void maxNewTokensAboveTheGenerationCeilingIsRefusedBeforeTraining() {
        assertRefused(train(tmp.resolve("new").toString(), "--max-new-tokens", "99999999"),
                "--max-new-tokens must be ≤ " + dev.resumo.t5.generate.GenerationConfig.MAX_NEW_TOKENS_LIMIT, "got 99999999");
    }

    /** The default run directory is runs/NAME-TIMESTAMP: "../../x" put the run outside runs/, "a/b" made nested folders. */
    @Test
    void experimentNamesThatAreNotOneFolderNameAreRefused() throws Exception {
        for (String[] c : List.of(new String[] {"../../x", "must not contain a path separator"},
                new String[] {"a/b", "must not contain a path separator"}, new String[] {"..", "must not be '.' or '..'"})) {
            assertRefused(CliRun.run("train", "--model", model.toString(), "--dataset", dataset.toString(), "--max-steps", "1",
                    "--experiment-name", c[0]), "--experiment-name " + c[1], "got '" + c[0] + "'");
        }
        Path config = Files.writeString(tmp.resolve("settings.json"), "{\"experiment-name\": \"../escaped\"}");
        assertRefused(CliRun.run("train", "--config", config.toString(), "--model", model.toString(), "--dataset", dataset.toString()),
                "--experiment-name must not contain a path separator", "got '../escaped'");
    }

    @Test
    void theDefaultRunDirectoryNeverLandsOnAnExistingOne() throws Exception {
        Path base = tmp.resolve("runs/resumo-20260101-000000");
        assertEquals(base, RunDirGuard.unusedDefault(base));
        Files.createDirectories(base);
        Path second = RunDirGuard.unusedDefault(base);
        assertEquals(tmp.resolve("runs/resumo-20260101-000000-2"), second);
        Files.createDirectories(second);
        assertEquals(tmp.resolve("runs/resumo-20260101-000000-3"), RunDirGuard.unusedDefault(base));
    }
}
