package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.fake.Subprocess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tracked training killed with -9 (no shutdown hook, no final checkpoint) and resumed with
 * --resume auto continues the same MLflow run, whose history then has every step exactly once.
 */
@Tag("mlflow")
class MlflowKillResumeTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    /** Metrics the fake training computes the same way whether resumed or not (tokens/s and examples/s are timings). */
    static final List<String> DETERMINISTIC = List.of("loss", "lr", "grad_norm", "epoch", "eval_loss");
    static final int SAVE_STEPS = 25;

    @Test
    void stepsSentAfterTheLastCheckpointAreNotLoggedTwice(@TempDir Path tmp) throws Exception {
        String uri = TrackedRun.serverFromEnvironment();
        MlflowRest rest = new MlflowRest(uri);
        String experiment = "resumo-kill-" + UUID.randomUUID().toString().substring(0, 8);
        Path runDir = tmp.resolve("run");
        // Killed mid-segment, once the server has steps 5+ past the newest checkpoint: those the resume computes again.
        long[] killed = killWhen(uri, experiment, runDir, tmp.resolve("child.log"), rest,
                (onServer) -> onServer % SAVE_STEPS >= 5 && onServer % SAVE_STEPS <= 15 && onServer > SAVE_STEPS);
        long checkpoint = killed[0], onServer = killed[1];
        assertTrue(onServer > checkpoint, "the server has steps " + (checkpoint + 1) + ".." + onServer + " that the resume repeats");

        String runId = resume(uri, experiment, runDir, onServer + 10);
        assertEveryStepOnce(rest, runId, runDir);
    }

    /**
     * Starts a tracked training in its own JVM (a metric at every step), and kills it with -9 once
     * the server's last loss step satisfies when; returns {newest checkpoint step, server's last loss step}.
     */
    static long[] killWhen(String uri, String experiment, Path runDir, Path log, MlflowRest rest, LongPredicate when) throws Exception {
        Process p = startTraining(uri, experiment, runDir, log);
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline && p.isAlive()) {
                var entry = MlflowRunFile.read(runDir);
                if (entry.isPresent()) {
                    long last = lastStep(rest.run(entry.get().runId()), "loss");
                    if (last >= 0 && when.test(last)) {
                        p.destroyForcibly(); // SIGKILL
                        p.waitFor(30, TimeUnit.SECONDS);
                        return new long[] {Subprocess.newestCompleteStep(runDir), lastStep(rest.run(entry.get().runId()), "loss")};
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the training never reached the point to kill it:\n" + Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
    }

    /** A tracked training of 400 steps of 40 ms in its own JVM, a metric at every step, a checkpoint every {@link #SAVE_STEPS}. */
    static Process startTraining(String uri, String experiment, Path runDir, Path log) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), TrackedTrainingMain.class.getName(),
                runDir.toString(), "40", "killed", "experiment-name=" + experiment, "max-steps=400",
                "save-steps=" + SAVE_STEPS, "log-steps=1", "eval-steps=1000");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MLFLOW_TRACKING_URI", uri);
        return pb.start();
    }

    /** The server's last step of a metric in the run (-1 when it has none). */
    static long lastStep(JsonNode run, String key) {
        for (JsonNode m : run.path("data").path("metrics")) {
            if (m.path("key").asText().equals(key)) return m.path("step").asLong();
        }
        return -1;
    }

    /** Resumes the run directory's training in this JVM up to total steps; returns the MLflow run it reported to. */
    static String resume(String uri, String experiment, Path runDir, long total) throws Exception {
        String before = MlflowRunFile.read(runDir).orElseThrow().runId();
        TrainConfig c = FakeRun.config(runDir, Map.of("experiment-name", experiment, "max-steps", total, "save-steps", SAVE_STEPS,
                "log-steps", 1, "eval-steps", 1000, "resume", "auto"));
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        MlflowTracker[] tracker = new MlflowTracker[1];
        TrainResult r = FakeRun.run(c, 0, -1, StopSignal.manual(), QUIET, messages::add,
                TrackedRun.trackers(TrackedRun.settings(uri, experiment, "killed", null), messages, tracker));
        assertEquals("FINISHED", r.status(), messages.toString());
        assertEquals(before, tracker[0].runId(), "the resumed training continues the same MLflow run: " + messages);
        assertTrue(messages.stream().noneMatch(m -> m.contains("not delivered") || m.contains("refused")), messages.toString());
        return before;
    }

    /**
     * Every metric key of the run directory has on the server exactly the steps of metrics.jsonl,
     * each once; the deterministic ones have the same values (the resume is exact: the same bytes
     * as a run never interrupted, so the killed training's values equal the resumed one's).
     */
    static void assertEveryStepOnce(MlflowRest rest, String runId, Path runDir) throws Exception {
        var local = TrackedRun.localMetrics(runDir);
        for (var e : local.entrySet()) {
            var server = rest.history(runId, e.getKey());
            for (var step : server.entrySet()) {
                assertEquals(1, step.getValue().size(), e.getKey() + " at step " + step.getKey() + " logged " + step.getValue());
            }
            assertEquals(e.getValue().keySet(), server.keySet(), "steps of " + e.getKey());
            if (DETERMINISTIC.contains(e.getKey())) assertEquals(e.getValue(), server, "values of " + e.getKey());
        }
        assertEquals("FINISHED", rest.run(runId).path("info").path("status").asText());
    }
}
