package dev.resumo.t5.hub;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a body stream that has delivered no byte for a while, which wakes the thread blocked in
 * its read (Java's HttpClient bodies have no read timeout); {@link #stalled()} then tells the
 * reader why its read failed.
 */
final class StallWatch {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "resumo-hub-stall-watch");
        t.setDaemon(true);
        return t;
    });

    private final InputStream body;
    private final long limitNanos;
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;

    StallWatch(InputStream body, Duration limit) {
        this.body = body;
        this.limitNanos = limit.toNanos();
        long periodMs = Math.max(10, Math.min(1000, limit.toMillis() / 4));
        this.check = TIMER.scheduleAtFixedRate(this::check, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    void progressed() {
        lastProgress = System.nanoTime();
    }

    boolean stalled() {
        return stalled;
    }

    void stop() {
        check.cancel(false);
    }

    private void check() {
        if (stalled || System.nanoTime() - lastProgress < limitNanos) return;
        stalled = true;
        check.cancel(false);
        try {
            body.close();
        } catch (IOException ignored) {
            // the reader fails either way; stalled() says why
        }
    }
}
