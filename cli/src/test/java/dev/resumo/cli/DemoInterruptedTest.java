package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo demo` stopped by SIGTERM or Ctrl-C: it writes its checkpoint and exits 143/130 as train
 * does, but the demo has no --resume (it always starts a new run, see RunDirGuard) and `resumo train
 * --resume auto` cannot load a demo run's randomly initialised model. The demo still printed
 * "(continue with --resume auto)" twice; now every line says to run it again.
 */
class DemoInterruptedTest {
    @Test
    void anInterruptedDemoSaysToRunItAgainNotToResume(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        // No hub is used; ChildTrain wants an address for HF_ENDPOINT.
        Process p = ChildTrain.command(tmp, URI.create("http://127.0.0.1:9"), "demo", "--output-dir", run.toString(),
                "--max-steps", "400", "--threads", "1").start();
        try {
            Path log = tmp.resolve("out.txt");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // The step-0 evaluation's line: training has begun, so the stop lands after a step.
            while (p.isAlive() && System.nanoTime() < until && !(Files.exists(log) && Files.readString(log).contains("step 0: eval_loss"))) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive(), "the demo ended before training: " + Files.readString(log));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the demo did not stop: " + Files.readString(log));
            String out = Files.readString(log);
            assertEquals(143, p.exitValue(), out);
            assertTrue(out.contains("INTERRUPTED after"), out);
            assertTrue(out.contains("resumo demo: interrupted by SIGTERM at step ")
                    && out.contains("the demo does not resume: run it again; it writes a new run directory (with --output-dir, give a new one)"), out);
            assertFalse(out.contains("--resume"), "the demo has no --resume: " + out);
            try (var checkpoints = Files.list(run.resolve("checkpoints"))) {
                assertTrue(checkpoints.anyMatch(c -> Files.exists(c.resolve("COMPLETE"))), "the stop still writes its checkpoint: " + out);
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
