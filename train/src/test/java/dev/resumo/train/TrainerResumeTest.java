package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.fake.Subprocess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Killing a run (kill -9) and resuming it gives the same final weights, byte for byte, as never stopping. */
class TrainerResumeTest {
    private static final Map<String, Object> SETTINGS = Map.of("max-steps", 40, "save-steps", 4, "eval-steps", 10,
            "grad-accum", 2, "schedule", "linear", "warmup-steps", 5, "best-metric", "eval_loss", "log-steps", 1);

    @Test
    void killedAndResumedRunEndsWithIdenticalWeights(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        TrainResult uninterrupted = FakeRun.run(FakeRun.config(straight, SETTINGS), 0, -1, StopSignal.manual(),
                new PrintStream(new ByteArrayOutputStream()), w -> {});
        assertEquals("FINISHED", uninterrupted.status());

        Path killed = tmp.resolve("killed");
        Path log = tmp.resolve("killed.log");
        List<String> flags = new ArrayList<>();
        SETTINGS.forEach((k, v) -> flags.add(k + "=" + v));
        Process p = Subprocess.start(killed, 40, log, flags.toArray(String[]::new));
        Subprocess.awaitCheckpoint(p, killed, 12, log);
        Thread.sleep(250); // ~3 more steps (80 ms each): usually metrics lines past the newest checkpoint
        p.destroyForcibly(); // SIGKILL: no chance to clean up
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        long killedAt = Subprocess.newestCompleteStep(killed);
        assertTrue(killedAt >= 12 && killedAt < 40, "killed mid-run, newest checkpoint step " + killedAt);
        assertTrue(Files.notExists(killed.resolve("model")), "the killed run must not have finished");

        List<String> warnings = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Object> resume = new java.util.HashMap<>(SETTINGS);
        resume.put("resume", "auto");
        TrainResult resumed = FakeRun.run(FakeRun.config(killed, resume), 0, -1, StopSignal.manual(),
                new PrintStream(out), warnings::add);
        assertEquals("FINISHED", resumed.status());
        assertEquals(40, resumed.steps());
        assertTrue(out.toString().contains("resumed from"), out.toString());

        byte[] expected = Files.readAllBytes(straight.resolve("model/model.safetensors"));
        byte[] actual = Files.readAllBytes(killed.resolve("model/model.safetensors"));
        assertArrayEquals(expected, actual, "final weights after kill -9 at step " + killedAt + " + resume");
        // The last checkpoint (step 40) must match too: the final model is the best one, which may be earlier.
        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoints/step-00000040/model.safetensors")),
                Files.readAllBytes(killed.resolve("checkpoints/step-00000040/model.safetensors")));
        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoints/step-00000040/optimizer.safetensors")),
                Files.readAllBytes(killed.resolve("checkpoints/step-00000040/optimizer.safetensors")));
        assertEquals(loggedSteps(straight), loggedSteps(killed), "metrics.jsonl: lines after the checkpoint dropped, then re-logged once");
        System.out.println("resume: killed at checkpoint step " + killedAt + ", resumed to 40, weights identical ("
                + expected.length + " bytes)");
    }

    /** (step, kind) of every metrics.jsonl line: "train" lines carry loss, "eval" lines eval_loss. */
    private static List<String> loggedSteps(Path run) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            String step = line.replaceAll(".*\"step\":(\\d+).*", "$1");
            out.add(step + (line.contains("\"eval_loss\"") ? " eval" : " train"));
        }
        return out;
    }
}
