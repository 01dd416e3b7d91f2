package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message that ends an outage ("answers again ...; sending the N buffered metric values") names
 * exactly the values that then reach the server, whatever waits at the head of the buffer when the
 * server comes back: a metric batch (one, or several of the server's 1000-value batches), the run's
 * creation with its params, or an artifact. A fake server (no MLflow needed) fails calls until the
 * test has seen it refuse a few, then answers again; nothing is logged after the outage, so every
 * value the server accepts after recovering is one that was buffered.
 */
class MlflowRecoveryCountTest {
    private static final Pattern COUNT = Pattern.compile("answers again after [0-9.]+ s; sending the (\\d+) buffered metric values");
    /** Refused HTTP requests the test waits for before the server recovers: several retries, with backoff between. */
    private static final int REFUSALS = 3;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());

    private MlflowTracker tracker(FakeMlflowServer server, Path runDir, int bufferCapacity) {
        MlflowSettings s = MlflowSettings.resolve(server.url(), "recovery", "count", null, Map.of()).orElseThrow()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)).withBufferCapacity(bufferCapacity);
        return new MlflowTracker(s, runDir, TrackedRun.CONTEXT, Map.of(), messages::add, messages::add);
    }

    private static void log(MlflowTracker t, int firstStep, int values) {
        for (int step = firstStep; step < firstStep + values; step++) t.metrics(step, Map.of("loss", 1.0 / step));
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + WAIT + ": " + what + "; messages: " + messages);
            Thread.sleep(10);
        }
    }

    private boolean said(String part) {
        synchronized (messages) {
            return messages.stream().anyMatch(m -> m.contains(part));
        }
    }

    /** The server refuses calls until it has refused a few and the outage was announced, then answers. */
    private void outageThenRecovery(FakeMlflowServer server) throws InterruptedException {
        int before = server.refused();
        await(() -> server.refused() >= before + REFUSALS && said("is unreachable or failing"), REFUSALS + " refused calls");
        server.recover();
    }

    /** The count the recovery message names, once the server has taken `expected` values since recovering. */
    private int reportedAfterDelivery(FakeMlflowServer server, int expected) throws InterruptedException {
        await(() -> server.metricValuesAfterRecovery() >= expected && said("answers again"), expected + " values delivered");
        return reportedCount();
    }

    /** The count the recovery message names. */
    private int reportedCount() {
        String back;
        synchronized (messages) {
            back = messages.stream().filter(m -> m.contains("answers again")).findFirst().orElseThrow();
        }
        Matcher m = COUNT.matcher(back);
        assertTrue(m.find(), back);
        return Integer.parseInt(m.group(1));
    }

    /** Ends the run and checks nothing more arrived: the server's count after recovery is final. */
    private void end(MlflowTracker t, FakeMlflowServer server, int expected) {
        t.end("FINISHED");
        assertTrue(said("run " + "0123456789abcdef0123456789abcdef FINISHED"), "the run ended on the server: " + messages);
        assertEquals(expected, server.metricValuesAfterRecovery(), "values the server took after recovering");
    }

    /** Opens the run on a working server and waits until a first value arrived: the buffer is then empty. */
    private static void openedAndIdle(MlflowTracker t, FakeMlflowServer server) throws InterruptedException {
        t.start(Map.of("learning-rate", 0.001));
        log(t, 0, 1);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (server.metricValues() < 1) {
            if (System.nanoTime() > deadline) throw new AssertionError("the first value never arrived");
            Thread.sleep(10);
        }
    }

    private void metricsAtTheHead(int values, @TempDir Path dir) throws Exception {
        try (FakeMlflowServer server = new FakeMlflowServer()) {
            MlflowTracker t = tracker(server, dir, MlflowSettings.DEFAULT_BUFFER_CAPACITY);
            openedAndIdle(t, server);
            server.fail();
            log(t, 1, values);
            outageThenRecovery(server);
            int reported = reportedAfterDelivery(server, values);
            assertEquals(values, server.metricValuesAfterRecovery(), "the server took every buffered value");
            assertEquals(server.metricValuesAfterRecovery(), reported, "the recovery message names what the server then received");
            end(t, server, values);
            System.out.println("metric batch at the head, " + values + " buffered: message says " + reported + ", server received "
                    + server.metricValuesAfterRecovery());
        }
    }

    @Test
    void oneMetricBatchAtTheHead(@TempDir Path dir) throws Exception {
        // Fewer than one log-batch call's 1000: the whole buffer leaves in the first call after the outage.
        metricsAtTheHead(300, dir);
    }

    @Test
    void severalMetricBatchesAtTheHead(@TempDir Path dir) throws Exception {
        // 2500 values: three log-batch calls, the first of 1000.
        metricsAtTheHead(2500, dir);
    }

    @Test
    void runCreationAndParamsAtTheHead(@TempDir Path dir) throws Exception {
        try (FakeMlflowServer server = new FakeMlflowServer()) {
            server.fail(); // down from the start: the run's creation waits first in line
            MlflowTracker t = tracker(server, dir, MlflowSettings.DEFAULT_BUFFER_CAPACITY);
            t.start(Map.of("learning-rate", 0.001));
            log(t, 0, 1200);
            outageThenRecovery(server);
            int reported = reportedAfterDelivery(server, 1200);
            assertEquals(1200, server.metricValuesAfterRecovery());
            assertEquals(server.metricValuesAfterRecovery(), reported, "the recovery message names what the server then received");
            end(t, server, 1200);
        }
    }

    @Test
    void anArtifactAtTheHead(@TempDir Path dir) throws Exception {
        try (FakeMlflowServer server = new FakeMlflowServer()) {
            MlflowTracker t = tracker(server, dir, MlflowSettings.DEFAULT_BUFFER_CAPACITY);
            openedAndIdle(t, server);
            server.fail();
            Path checkpoint = Files.writeString(dir.resolve("checkpoint.txt"), "step 10");
            t.artifacts(checkpoint); // a checkpoint saved during the outage, then more steps
            log(t, 1, 700);
            outageThenRecovery(server);
            int reported = reportedAfterDelivery(server, 700);
            assertEquals(1, server.uploads(), "the artifact went first");
            assertEquals(700, server.metricValuesAfterRecovery());
            assertEquals(server.metricValuesAfterRecovery(), reported, "the recovery message names what the server then received");
            end(t, server, 700);
        }
    }

    @Test
    void aFullBufferCountsOnlyWhatIsLeftToSend(@TempDir Path dir) throws Exception {
        try (FakeMlflowServer server = new FakeMlflowServer()) {
            MlflowTracker t = tracker(server, dir, 500);
            openedAndIdle(t, server);
            server.fail();
            log(t, 1, 800); // 300 more than the buffer holds: the oldest are dropped
            outageThenRecovery(server);
            // How many stay depends on which batch was on the wire when the values came (it is never
            // dropped, and not counted against the buffer): the buffer keeps its 500 (499 in a run where
            // the loaded machine let the sender take 499 first), plus the k values the sender had taken
            // before the buffer filled — 501 in a CI run where it held 1 — so min(800, 500 + k). What
            // holds in every interleaving: the message names what the server then receives, the buffer
            // keeps its bound's worth, and sent + lost = logged.
            await(() -> said("answers again"), "the recovery message");
            int reported = reportedCount();
            await(() -> server.metricValuesAfterRecovery() >= reported, reported + " values delivered");
            assertEquals(reported, server.metricValuesAfterRecovery(), "the message counts the values sent, not those dropped");
            assertTrue(reported >= 499 && reported <= 800, "the buffer keeps its 500 values (plus a batch on the wire): " + reported);
            end(t, server, reported);
            int lost = 800 - reported;
            if (lost > 0) {
                assertTrue(said("the buffer was full (500 values) while the server was away; lost: " + lost + " metric values (loss ×"
                        + lost + " steps "), messages.toString());
            }
        }
    }
}
