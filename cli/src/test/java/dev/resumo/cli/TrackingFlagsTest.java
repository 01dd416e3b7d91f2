package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MLflow flags of `resumo demo`: shown with their defaults, bad values refused before any training, secrets never echoed. */
class TrackingFlagsTest {
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpShowsTheTrackingFlags() {
        Result r = run("demo", "--help");
        assertEquals(0, r.code());
        for (String flag : new String[] {"--tracking-uri", "--experiment-name", "--run-name", "--register-model"}) {
            assertTrue(r.out().contains(flag), flag + " in:\n" + r.out());
        }
        assertTrue(r.out().contains("MLFLOW_TRACKING_URI"), r.out());
    }

    @Test
    void aTrackingUriThatIsNoServerIsAOneLineErrorBeforeTraining(@TempDir Path tmp) {
        Result r = run("demo", "--output-dir", tmp.resolve("run").toString(), "--tracking-uri", "file:///tmp/mlruns");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--tracking-uri 'file:///tmp/mlruns' must be an http:// or https:// address"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        assertFalse(Files.exists(tmp.resolve("run/checkpoints")), "nothing trained");
    }

    @Test
    void aPasswordInTheUriIsRefusedWithoutBeingShown(@TempDir Path tmp) {
        Result r = run("demo", "--output-dir", tmp.resolve("run").toString(), "--tracking-uri", "http://ana:pa55word@127.0.0.1:5000");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("MLFLOW_TRACKING_PASSWORD"), r.err());
        assertFalse(r.err().contains("pa55word") || r.out().contains("pa55word"), r.err());
    }
}
