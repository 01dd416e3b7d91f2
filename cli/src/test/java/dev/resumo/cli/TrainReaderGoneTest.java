package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo train ... | head -2`: the reader of standard output leaves early. The run used to train
 * to its last step for nobody and only then exit 141; it now stops after the step that found the
 * pipe closed, with a checkpoint and the way to continue on standard error.
 */
class TrainReaderGoneTest {
    /** A pipe whose reader exits once it has read the line of step 1, as `head` does after its lines. */
    private static final class HeadPipe extends OutputStream {
        private final ByteArrayOutputStream read = new ByteArrayOutputStream();
        private boolean gone;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (gone) throw new IOException("Broken pipe");
            read.write(b, off, len);
            String text = read.toString(StandardCharsets.UTF_8);
            int line = text.indexOf("step 1/");
            gone = line >= 0 && text.indexOf('\n', line) >= 0; // that whole line read
        }
    }

    @Test
    void aClosedStandardOutputStopsTheRunAfterTheStepWithACheckpoint(@TempDir Path tmp) throws Exception {
        TinyTrainRun runner = TinyTrainRun.create(tmp, """
                {"max-source-length": 32, "max-target-length": 8, "batch-size": 4, "eval-batch-size": 8,
                 "eval-steps": 1000, "save-steps": 1000, "log-steps": 1, "max-new-tokens": 2, "eval-max-examples": 1}""");
        Path run = tmp.resolve("run");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"train", "--config", runner.settings().toString(), "--model", runner.model().toString(),
                "--dataset", runner.corpus().toString(), "--output-dir", run.toString(), "--max-steps", "300"},
                StandardStream.utf8(new HeadPipe()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String stderr = err.toString(StandardCharsets.UTF_8);

        assertEquals(Main.BROKEN_PIPE, code, stderr);
        assertFalse(stderr.contains("\tat "), stderr);
        // Step 2's progress line is the first write that fails, and the run stops at the end of that
        // step — or at the end of step 1 when MLFLOW_TRACKING_URI is set (as in CI): the MLflow
        // sender prints the run's address from its own thread, at no fixed point, and that line can
        // be the first write after the pipe closed. Either way: the step that met it, checkpointed.
        java.util.regex.Matcher stopped = java.util.regex.Pattern.compile(
                "resumo train: interrupted by a closed standard output at step ([12]); checkpoint written; continue with:"
                        + " resumo train --output-dir " + java.util.regex.Pattern.quote(run.toAbsolutePath().toString())
                        + " --resume auto").matcher(stderr);
        assertTrue(stopped.find(), stderr);
        int step = Integer.parseInt(stopped.group(1));
        assertTrue(Files.exists(run.resolve("checkpoints/step-0000000" + step + "/COMPLETE")), "the checkpoint of the step it stopped at");
        assertFalse(Files.exists(run.resolve("model")), "no final model: the run did not go on to its end");

        CliRun resumed = CliRun.run("train", "--output-dir", run.toString(), "--resume", "auto", "--max-steps", "4");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("at step " + step + " (epoch"), resumed.out());
    }
}
