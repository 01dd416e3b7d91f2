package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import dev.resumo.train.fake.FakeRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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

    /** A training of 40 steps (log every step) in the background, tracked in the test's server. */
    private record Training(Path runDir, List<String> messages, MlflowTracker[] tracker, CompletableFuture<TrainResult> result) {}

    private static Training train(Path tmp, String runName, long stepDelayMillis, Duration callTimeout, Duration flushTimeout) {
        Path runDir = tmp.resolve("run");
        TrainConfig c = FakeRun.config(runDir, Map.of("experiment-name", "outage", "max-steps", 40, "log-steps", 1,
                "eval-steps", 10, "save-steps", 10));
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        MlflowTracker[] tracker = new MlflowTracker[1];
        MlflowSettings s = TrackedRun.settings(server.url(), "outage", runName, null).withTimeouts(callTimeout, flushTimeout);
        CompletableFuture<TrainResult> result = CompletableFuture.supplyAsync(() -> {
            try {
                return FakeRun.run(c, stepDelayMillis, -1, StopSignal.manual(), QUIET, messages::add,
                        TrackedRun.trackers(s, messages, tracker));
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
        Training t = train(tmp, "stopped-and-back", 60, Duration.ofSeconds(2), Duration.ofSeconds(120));
        TrackedRun.awaitStep(t.runDir(), 8, Duration.ofSeconds(60));
        server.stop();
        long stoppedAt = TrackedRun.lastStep(t.runDir());
        awaitMessage(t.messages(), m -> m.contains("is unreachable or failing"), Duration.ofSeconds(30));
        TrackedRun.awaitStep(t.runDir(), stoppedAt + 15, Duration.ofSeconds(60));
        long restartedAt = TrackedRun.lastStep(t.runDir());
        server.start();
        TrainResult r = t.result().get(180, TimeUnit.SECONDS);

        assertEquals("FINISHED", r.status());
        assertTrue(restartedAt - stoppedAt >= 15, "training went on while the server was down: steps " + stoppedAt + ".." + restartedAt);
        assertTrue(t.messages().stream().anyMatch(m -> m.contains("answers again")), t.messages().toString());
        assertTrue(t.messages().stream().noneMatch(m -> m.contains("not delivered") || m.contains("lost")), t.messages().toString());
        String runId = t.tracker()[0].runId();
        assertEquals("FINISHED", rest.run(runId).path("info").path("status").asText());
        int values = TrackedRun.assertServerHasEveryMetric(rest, runId, t.runDir());
        System.out.println("server down from step " + stoppedAt + " to " + restartedAt + "; all " + values + " metric values arrived");
    }

    @Test
    void aHungServerTimesOutWithoutSlowingTraining(@TempDir Path tmp) throws Exception {
        // Every call that reaches the frozen server gets no answer: the 1 s call limit must cut it.
        Training t = train(tmp, "frozen-and-back", 40, Duration.ofSeconds(1), Duration.ofSeconds(120));
        TrackedRun.awaitStep(t.runDir(), 8, Duration.ofSeconds(60));
        server.freeze(true);
        long frozenAt = TrackedRun.lastStep(t.runDir());
        long frozenNanos = System.nanoTime();
        try {
            awaitMessage(t.messages(), m -> m.contains("no answer within 1000 ms"), Duration.ofSeconds(30));
            TrackedRun.awaitStep(t.runDir(), frozenAt + 20, Duration.ofSeconds(30));
        } finally {
            server.freeze(false);
        }
        double frozenSeconds = (System.nanoTime() - frozenNanos) / 1e9;
        long thawedAt = TrackedRun.lastStep(t.runDir());
        TrainResult r = t.result().get(180, TimeUnit.SECONDS);

        assertEquals("FINISHED", r.status());
        // 20+ steps of 40 ms while frozen took seconds, not 20 × the call limit: training never waited on MLflow.
        assertTrue(thawedAt - frozenAt >= 20 && frozenSeconds < 15, (thawedAt - frozenAt) + " steps in " + frozenSeconds + " s");
        String runId = t.tracker()[0].runId();
        assertNotNull(runId);
        assertEquals("FINISHED", rest.run(runId).path("info").path("status").asText());
        // Calls abandoned on the frozen server may be served after it thaws and then sent again: MLflow
        // keeps one copy of an identical (key, step, time, value), so the history is still exact.
        int values = TrackedRun.assertServerHasEveryMetric(rest, runId, t.runDir());
        System.out.printf("server frozen %.1f s while training took %d steps; all %d metric values arrived%n",
                frozenSeconds, thawedAt - frozenAt, values);
    }

    @Test
    void aServerThatStaysDownIsReportedExactly(@TempDir Path tmp) throws Exception {
        Training t = train(tmp, "stopped-for-good", 20, Duration.ofSeconds(2), Duration.ofSeconds(3));
        TrainResult r;
        long endNanos;
        try {
            TrackedRun.awaitStep(t.runDir(), 12, Duration.ofSeconds(60));
            server.stop();
            r = t.result().get(120, TimeUnit.SECONDS);
            endNanos = System.nanoTime();
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
                + "and exactly that many are missing; " + (endNanos > 0 ? "training ended normally" : ""));
    }
}
