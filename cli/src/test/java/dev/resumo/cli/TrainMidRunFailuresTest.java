package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.run.RunLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo train` when things go wrong in the middle of a (tiny, real) run: a file of the run that
 * can no longer be written is one line naming it, the step and how to continue (no stack trace),
 * and the continuation works once it is fixed; a second training on a run that is in use is
 * refused; a dataset changed between the stop and the resume is said.
 */
class TrainMidRunFailuresTest {
    @TempDir static Path tmp;
    private static TinyTrainRun runner;

    @BeforeAll
    static void setUp() throws Exception {
        runner = TinyTrainRun.create(tmp, """
                {"max-source-length": 32, "max-target-length": 8, "batch-size": 4, "eval-batch-size": 8,
                 "eval-steps": 1000, "save-steps": 2, "log-steps": 1, "max-new-tokens": 2, "eval-max-examples": 1}""");
    }

    private static String lastLine(String s) {
        return s.strip().lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void aRunFileThatCannotBeWrittenMidRunIsOneLineWithTheWayToContinue() throws Exception {
        Path run = tmp.resolve("broken-mid-run");
        Path metrics = run.resolve("metrics.jsonl");
        // As soon as the step-2 checkpoint exists, metrics.jsonl becomes a folder (a failure root cannot write past either).
        CompletableFuture<Void> saboteur = CompletableFuture.runAsync(() -> {
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(run.resolve("checkpoints/step-00000002/COMPLETE")) && System.nanoTime() < deadline) Thread.sleep(2);
                Files.deleteIfExists(metrics);
                Files.createDirectories(metrics.resolve("in-the-way"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        CliRun r = runner.train(run, "--max-steps", "300");
        saboteur.get(60, TimeUnit.SECONDS);

        assertEquals(1, r.code(), r.err());
        String last = lastLine(r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r.err());
        assertTrue(last.startsWith("resumo train: file error on " + metrics.toAbsolutePath()), last);
        assertTrue(last.contains("training stopped at step ") && last.contains("the last complete checkpoint is "
                + run.toAbsolutePath().resolve("checkpoints")), last);
        assertTrue(last.endsWith("continue with: resumo train --output-dir " + run.toAbsolutePath() + " --resume auto"), last);

        // Fixed: the command it gave continues the run.
        Files.delete(metrics.resolve("in-the-way"));
        Files.delete(metrics);
        CliRun resumed = CliRun.run("train", "--output-dir", run.toString(), "--resume", "auto", "--max-steps", "6");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resumed from " + run.toAbsolutePath().resolve("checkpoints")), resumed.out());
    }

    @Test
    void aRunInUseByAnotherTrainingIsRefusedNamingIt() throws Exception {
        Path run = tmp.resolve("in-use");
        CliRun first = runner.train(run, "--max-steps", "2");
        assertEquals(0, first.code(), first.err());
        try (RunLock other = RunLock.acquire(run.toAbsolutePath())) { // another training holds the run
            CliRun second = runner.train(run, "--max-steps", "4", "--resume", "auto");
            assertEquals(2, second.code(), second.err());
            String last = lastLine(second.err());
            assertTrue(last.contains("--output-dir " + run.toAbsolutePath() + " is in use by another training (pid "
                    + ProcessHandle.current().pid() + ")"), last);
            assertFalse(second.out().contains("resumed from"), "nothing of the run was touched: " + second.out());
            // without --resume: the busy run is said first, not advice to pass --resume auto that would end here
            CliRun fresh = runner.train(run, "--max-steps", "4");
            assertEquals(2, fresh.code(), fresh.err());
            assertTrue(lastLine(fresh.err()).contains("is in use by another training (pid " + ProcessHandle.current().pid() + ")"),
                    fresh.err());
        }
        CliRun after = runner.train(run, "--max-steps", "4", "--resume", "auto");
        assertEquals(0, after.code(), "free again once the other ended: " + after.err());
    }

    @Test
    void aFailedStartLeavesNoLockFileBehind() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("empty-before"));
        CliRun r = CliRun.run("train", "--config", runner.settings().toString(), "--model", runner.model().toString(),
                "--dataset", Files.writeString(tmp.resolve("no-rows.jsonl"), "").toString(), "--output-dir", run.toString());
        assertEquals(2, r.code(), r.err());
        try (var files = Files.list(run)) {
            assertEquals(List.of(), files.toList(), "the folder is as empty as before");
        }
    }

    @Test
    void aDatasetChangedBetweenStopAndResumeIsSaid() throws Exception {
        Path corpus = tmp.resolve("own-corpus.jsonl");
        List<String> rows = Files.readAllLines(runner.corpus());
        Files.write(corpus, rows);
        Path run = tmp.resolve("data-changed");
        CliRun first = CliRun.run("train", "--config", runner.settings().toString(), "--model", runner.model().toString(),
                "--dataset", corpus.toString(), "--output-dir", run.toString(), "--max-steps", "2");
        assertEquals(0, first.code(), first.err());

        CliRun same = CliRun.run("train", "--output-dir", run.toString(), "--resume", "auto", "--max-steps", "3");
        assertEquals(0, same.code(), same.err());
        assertFalse(same.err().contains("training data differs"), "unchanged data: no warning: " + same.err());

        Files.write(corpus, rows.subList(0, rows.size() / 2)); // edited while the run was stopped
        CliRun changed = CliRun.run("train", "--output-dir", run.toString(), "--resume", "auto", "--max-steps", "4");
        assertEquals(0, changed.code(), changed.err());
        assertTrue(changed.err().contains("warning: the training data differs from what step-00000003 was trained on"), changed.err());
        assertTrue(changed.err().contains("was --dataset " + corpus + " changed?"), changed.err());

        // The same file tokenized to another length: the warning names the setting, not the file.
        CliRun shorter = CliRun.run("train", "--output-dir", run.toString(), "--resume", "auto", "--max-steps", "5",
                "--max-source-length", "16");
        assertEquals(0, shorter.code(), shorter.err());
        assertTrue(shorter.err().contains("the changed --max-source-length gives other token ids (or --dataset " + corpus
                + " changed too)"), shorter.err());
    }
}
