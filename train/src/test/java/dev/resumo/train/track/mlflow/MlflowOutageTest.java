package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.fake.Subprocess;
import dev.resumo.train.track.CompositeTracker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracking server fails mid-training: a server of the test's own (bin/mlflow-up on a free port)
 * is stopped, or frozen with SIGSTOP, while a training runs. Training keeps going, the warning says
 * so, and afterwards either every buffered metric is on the server or the loss is reported exactly.
 */
@Tag("mlflow")
class MlflowOutageTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    @TempDir
    static Path serverDir;
    private static MlflowServerProcess server;
    private static MlflowRest rest;

    /** Each test is skipped, saying why, without MLFLOW_TRACKING_URI; the own server starts once, for the first test. */
    @BeforeEach
    void startOwnServer() throws Exception {
        TrackedRun.serverFromEnvironment(); // same rule as every MLflow test: no server setup, no MLflow tests
        if (server != null) return;
        server = new MlflowServerProcess(TrackedRun.repoRoot(), serverDir.resolve("mlflow"));
        server.start();
        rest = new MlflowRest(server.url());
    }

    @AfterAll
    static void stopOwnServer() throws Exception {
        if (server != null) server.close();
    }

    /** A training of 40 steps (metrics at every step) in the background, tracked in the test's server, held at the gate's steps. */
    private record Training(Path runDir, List<String> messages, MlflowTracker[] tracker, CompletableFuture<TrainResult> result) {}

    private static Training train(Path tmp, String runName, long stepDelayMillis, Duration callTimeout, Duration flushTimeout,
                                  StepGate gate) {
        Path runDir = tmp.resolve("run");
        TrainConfig c = FakeRun.config(runDir, Map.of("experiment-name", "outage", "max-steps", 40, "log-steps", 1,
                "eval-steps", 10, "save-steps", 10));
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        MlflowTracker[] tracker = new MlflowTracker[1];
        MlflowSettings s = TrackedRun.settings(server.url(), "outage", runName, null).withTimeouts(callTimeout, flushTimeout);
        var trackers = TrackedRun.trackers(s, messages, tracker);
        CompletableFuture<TrainResult> result = CompletableFuture.supplyAsync(() -> {
            try {
                return FakeRun.run(c, stepDelayMillis, -1, StopSignal.manual(), QUIET, messages::add,
                        dir -> new CompositeTracker(List.of(trackers.apply(dir), gate)));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        return new Training(runDir, messages, tracker, result);
    }

    private static void awaitMessage(List<String> messages, Predicate<String> p, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (messages) {
                if (messages.stream().anyMatch(p)) return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such message within " + limit + ": " + messages);
    }

    @Test
    void aStoppedServerDelaysMetricsThatArriveWhenItReturns(@TempDir Path tmp) throws Exception {
        StepGate gate = new StepGate().holdAt(10, 30);
        Training t = train(tmp, "stopped-and-back", 20, Duration.ofSeconds(2), Duration.ofSeconds(120), gate);
        gate.awaitArrival(10);
        server.stop();
        gate.release(10);
        gate.awaitArrival(30); // steps 11..30 ran with the server down
        awaitMessage(t.messages(), m -> m.contains("is unreachable or failing"), Duration.ofSeconds(30));
        server.start();
        gate.release(30);
        TrainResult r = t.result().get(180, TimeUnit.SECONDS);

        assertEquals("FINISHED", r.status());
        String back = t.messages().stream().filter(m -> m.contains("answers again")).findFirst()
                .orElseThrow(() -> new AssertionError("no recovery message: " + t.messages()));
        assertTrue(t.messages().stream().noneMatch(m -> m.contains("not delivered") || m.contains("lost")), t.messages().toString());
        String runId = t.tracker()[0].runId();
        java.util.regex.Matcher n = java.util.regex.Pattern.compile("sending the (\\d+) buffered").matcher(back);
        assertTrue(n.find(), back);
        assertTrue(Integer.parseInt(n.group(1)) > 0, "steps 11..30 logged while the server was down are buffered: " + back);
        assertEquals("FINISHED", rest.run(runId).path("info").path("status").asText());
        int values = TrackedRun.assertServerHasEveryMetric(rest, runId, t.runDir());
        System.out.println("server down from step 10 to 30 while training went on; all " + values + " metric values arrived");
    }

    @Test
    void aHungServerTimesOutWithoutSlowingTraining(@TempDir Path tmp) throws Exception {
        // Every call that reaches the frozen server gets no answer: the 1 s call limit must cut it.
        StepGate gate = new StepGate().holdAt(10, 30);
        Training t = train(tmp, "frozen-and-back", 20, Duration.ofSeconds(1), Duration.ofSeconds(120), gate);
        gate.awaitArrival(10);
        server.freeze(true);
        double frozenSeconds;
        try {
            long frozenNanos = System.nanoTime();
            gate.release(10);
            gate.awaitArrival(30);
            frozenSeconds = (System.nanoTime() - frozenNanos) / 1e9;
            awaitMessage(t.messages(), m -> m.contains("no answer within 1000 ms"), Duration.ofSeconds(30));
        } finally {
            server.freeze(false);
        }
        gate.release(30);
        TrainResult r = t.result().get(180, TimeUnit.SECONDS);

        assertEquals("FINISHED", r.status());
        // 20 logged steps of 20 ms and an evaluation took seconds, not 20 × the 1 s call limit: training never waited on MLflow.
        assertTrue(frozenSeconds < 15, "steps 10..30 took " + frozenSeconds + " s with the server frozen");
        String runId = t.tracker()[0].runId();
        assertNotNull(runId);
        assertEquals("FINISHED", rest.run(runId).path("info").path("status").asText());
        // Calls abandoned on the frozen server may be served after it thaws and then sent again: MLflow
        // keeps one copy of an identical (key, step, time, value), so the history is still exact.
        int values = TrackedRun.assertServerHasEveryMetric(rest, runId, t.runDir());
        System.out.printf("server frozen: steps 10..30 took %.1f s; all %d metric values arrived%n", frozenSeconds, values);
    }

    @Test
    void aServerThatStaysDownIsReportedExactly(@TempDir Path tmp) throws Exception {
        StepGate gate = new StepGate().holdAt(12);
        Training t = train(tmp, "stopped-for-good", 10, Duration.ofSeconds(2), Duration.ofSeconds(3), gate);
        TrainResult r;
        try {
            gate.awaitArrival(12);
            server.stop();
            gate.release(12);
            r = t.result().get(120, TimeUnit.SECONDS);
        } finally {
            server.start(); // back, to read what arrived
        }
        assertEquals("FINISHED", r.status(), "training finishes although MLflow is gone");
        String gaveUp = t.messages().stream().filter(m -> m.contains("gave up after 3.0 s")).findFirst()
                .orElseThrow(() -> new AssertionError("no give-up warning: " + t.messages()));
        Matcher n = Pattern.compile("not delivered: (\\d+) metric values").matcher(gaveUp);
        assertTrue(n.find(), gaveUp);
        long reportedLost = Long.parseLong(n.group(1));
        assertTrue(gaveUp.contains("run status FINISHED") && gaveUp.contains("artifact model/model.safetensors"), gaveUp);

        String runId = t.tracker()[0].runId();
        long onServer = 0;
        for (String key : TrackedRun.localMetrics(t.runDir()).keySet()) {
            for (var values : rest.history(runId, key).values()) onServer += values.size();
        }
        long logged = 0;
        for (var byStep : TrackedRun.localMetrics(t.runDir()).values()) for (var v : byStep.values()) logged += v.size();
        assertTrue(reportedLost > 0, gaveUp);
        assertEquals(logged - onServer, reportedLost, "the warning counts exactly the metric values missing on the server");
        assertEquals("RUNNING", rest.run(runId).path("info").path("status").asText(), "the final status never arrived");
        System.out.println("server stopped for good: " + reportedLost + " of " + logged + " metric values reported lost, "
                + "and exactly that many are missing");
    }

    @Test
    void aTrainingKilledWhileTheServerIsDownResumesWithoutAHole(@TempDir Path tmp) throws Exception {
        Path runDir = tmp.resolve("run");
        Path log = tmp.resolve("child.log");
        Process p = MlflowKillResumeTest.startTraining(server.url(), "outage", runDir, log);
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (MlflowRunFile.read(runDir).isEmpty()
                    || MlflowKillResumeTest.lastStep(rest.run(MlflowRunFile.read(runDir).get().runId()), "loss") < 5) {
                assertTrue(p.isAlive() && System.nanoTime() < deadline, "no loss on the server:\n" + Files.readString(log));
                Thread.sleep(20);
            }
            server.stop();
            // Two checkpoints with the server away: the steps logged since it went are only in the child's buffer.
            Subprocess.awaitCheckpoint(p, runDir, 2 * MlflowKillResumeTest.SAVE_STEPS, log);
            p.destroyForcibly(); // SIGKILL: the buffer is gone, metrics.jsonl has those steps
            p.waitFor(30, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
            server.start();
        }
        String runId = MlflowRunFile.read(runDir).orElseThrow().runId();
        long onServer = MlflowKillResumeTest.lastStep(rest.run(runId), "loss");
        long checkpoint = Subprocess.newestCompleteStep(runDir);
        assertTrue(onServer < checkpoint, "steps " + (onServer + 1) + ".." + checkpoint + " never reached the server before the kill");

        MlflowKillResumeTest.resume(server.url(), "outage", runDir, checkpoint + 10);
        MlflowKillResumeTest.assertEveryStepOnce(rest, runId, runDir);
    }
}
