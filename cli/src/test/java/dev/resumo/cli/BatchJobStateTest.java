package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.batch.BatchOptions;
import dev.resumo.batch.TextSummarizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo batch` on a runner that reports a failed job as a state (Dataflow: the workers' error
 * stays in the job's log, waitUntilFinish returns FAILED): one line that says the job failed, what
 * was counted and where the error is — before, it printed "FAILED; 0 rows ...; wrote
 * PREFIX-summaries-*.jsonl ... and PREFIX-done.json", a done marker it had not written.
 */
class BatchJobStateTest {
    @AfterEach
    void restore() {
        EndsInStateRunner.state = PipelineResult.State.FAILED;
    }

    private static String run(Path tmp, PipelineResult.State state, int[] code) throws Exception {
        EndsInStateRunner.state = state;
        Path input = Files.writeString(tmp.resolve("in.jsonl"), "{\"id\": \"a\", \"text\": \"Um texto.\"}\n");
        String prefix = tmp.resolve("run1").toString();
        BatchOptions options = PipelineOptionsFactory.fromArgs("--runner=" + EndsInStateRunner.class.getName(),
                "--model=unused", "--input=" + input, "--output=" + prefix).as(BatchOptions.class);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        code[0] = BatchCommand.runPipeline(options, new dev.resumo.batch.SummarizerLoader() {
            @Override
            public String key() {
                return "never-loaded";
            }

            @Override
            public TextSummarizer load() {
                throw new AssertionError("this runner runs nothing");
            }
        }, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertFalse(Files.exists(Path.of(prefix + "-done.json")), "no done marker for a failed job");
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aJobTheRunnerEndedAsFailedIsOneLineWithoutADoneMarker(@TempDir Path tmp) throws Exception {
        int[] code = new int[1];
        String said = run(tmp, PipelineResult.State.FAILED, code);
        assertEquals(1, code[0], said);
        assertEquals(1, said.strip().lines().count(), "one line: " + said);
        String prefix = tmp.resolve("run1").toString();
        assertTrue(said.startsWith("resumo batch: FAILED: the runner ended the job in state FAILED; no counts reported; no "
                + prefix + "-done.json was written"), said);
        assertTrue(said.contains("Dataflow: the job's page") && said.contains("--force"), said);
        assertFalse(said.contains("wrote "), said);
    }

    @Test
    void aRunnerThatStoppedWaitingSaysSo(@TempDir Path tmp) throws Exception {
        int[] code = new int[1];
        String said = run(tmp, null, code);
        assertEquals(1, code[0], said);
        assertTrue(said.startsWith("resumo batch: FAILED: the runner stopped waiting for the job before it ended"), said);
    }

    @Test
    void aCancelledJobNamesItsState(@TempDir Path tmp) throws Exception {
        int[] code = new int[1];
        String said = run(tmp, PipelineResult.State.CANCELLED, code);
        assertEquals(1, code[0], said);
        assertTrue(said.contains("ended the job in state CANCELLED"), said);
    }
}
