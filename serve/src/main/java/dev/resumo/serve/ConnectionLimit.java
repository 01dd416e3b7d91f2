package dev.resumo.serve;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bound on connections served at once (--max-connections), and the counts /metrics shows of it.
 * Every served connection holds a file descriptor, a virtual thread and two 8 KB buffers for as
 * long as it is open — an idle kept-alive one up to the idle timeout, a half-sent one up to the
 * request read limit — so without a bound a client opening thousands of them exhausts the
 * process's descriptors and nobody else gets in. Past the bound a connection is answered and
 * closed ({@link FullServerAnswer}: a monitoring request as usual, anything else a short 503);
 * answering takes a descriptor for a moment too, so at most {@link #ANSWERING_REFUSALS} refusals
 * are answered at once and the rest are closed unanswered.
 */
final class ConnectionLimit {
    /**
     * Refusals being answered at once: each one waits up to half a second for its request head, writes
     * its answer and then lingers up to half a second so the client reads it instead of a reset. 64 of
     * them add at most 64 descriptors to the bound.
     */
    static final int ANSWERING_REFUSALS = 64;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Semaphore answering = new Semaphore(ANSWERING_REFUSALS);
    private final LongAdder refusedAnswered = new LongAdder();
    private final LongAdder refusedClosed = new LongAdder();
    private final LongAdder monitoringPastLimit = new LongAdder();

    ConnectionLimit(int max) {
        if (max < 1) throw new IllegalArgumentException("--max-connections: must be ≥ 1, got " + max);
        this.max = max;
    }

    /** Takes a place for a new connection; false when all {@code max} are taken. */
    boolean tryOpen() {
        while (true) {
            int n = open.get();
            if (n >= max) return false;
            if (open.compareAndSet(n, n + 1)) return true;
        }
    }

    /** A served connection closed, whoever closed it: its place is free. */
    void closed() {
        open.decrementAndGet();
    }

    /**
     * Takes one of the places for answering a connection past the bound; false, counted as closed
     * unanswered: close the connection at once. How it was answered is counted once its request
     * head is read ({@link #refusalAnswered}, {@link #monitoringAnswered}).
     */
    boolean tryAnswerRefusal() {
        if (answering.tryAcquire()) return true;
        refusedClosed.increment();
        return false;
    }

    /** A connection past the bound is about to be answered 503. */
    void refusalAnswered() {
        refusedAnswered.increment();
    }

    /** A connection past the bound asked for /health, /ready or /metrics and is about to be answered it. */
    void monitoringAnswered() {
        monitoringPastLimit.increment();
    }

    /** A refusal's answer went out (or failed to) and its connection is closed: its place is free. */
    void refusalDone() {
        answering.release();
    }

    int max() {
        return max;
    }

    int open() {
        return open.get();
    }

    long refusedAnswered() {
        return refusedAnswered.sum();
    }

    long refusedClosed() {
        return refusedClosed.sum();
    }

    long monitoringPastLimit() {
        return monitoringPastLimit.sum();
    }
}
