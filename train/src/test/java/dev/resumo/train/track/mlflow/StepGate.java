package dev.resumo.train.track.mlflow;

import dev.resumo.train.track.Tracker;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A tracker that holds the training thread at chosen steps until the test lets it go, so that a
 * test can act (stop the server...) at a known point of the run however loaded the machine is.
 * Placed after the MLflow tracker, the held step's metrics are already queued.
 */
final class StepGate implements Tracker {
    private final Map<Long, CountDownLatch[]> gates = new ConcurrentHashMap<>(); // step → {arrived, released}

    StepGate holdAt(long... steps) {
        for (long s : steps) gates.put(s, new CountDownLatch[] {new CountDownLatch(1), new CountDownLatch(1)});
        return this;
    }

    /** Waits until training reached the step (and is held there). */
    void awaitArrival(long step) throws InterruptedException {
        if (!gates.get(step)[0].await(120, TimeUnit.SECONDS)) throw new AssertionError("training did not reach step " + step);
    }

    void release(long step) {
        gates.get(step)[1].countDown();
    }

    @Override
    public void metrics(long step, Map<String, Double> metrics) {
        CountDownLatch[] g = metrics.containsKey("loss") ? gates.get(step) : null;
        if (g == null) return;
        g[0].countDown();
        try {
            if (!g[1].await(300, TimeUnit.SECONDS)) throw new IllegalStateException("the test never released step " + step);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override public void start(Map<String, Object> params) {}
    @Override public void artifacts(Path path) {}
    @Override public void end(String status) {}
}
