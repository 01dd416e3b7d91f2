package dev.resumo.serve;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bound on connections served at once (--max-connections), and the counts /metrics shows of it.
 * Every served connection holds a file descriptor, a virtual thread and two 8 KB buffers for as
 * long as it is open — an idle kept-alive one up to the idle timeout, a half-sent one up to the
 * request read limit — so without a bound a client opening thousands of them exhausts the
 * process's descriptors and nobody else gets in. Past the bound a connection is answered a short
 * 503 and closed ({@link FullServerAnswer}); answering takes a descriptor for a moment too, so at
 * most {@link #ANSWERING_REFUSALS} refusals are answered at once and the rest are closed unanswered.
 */
final class ConnectionLimit {
    /**
     * Refusals being answered at once: each one writes its 503 and then lingers up to half a second so
     * the client reads it instead of a reset. 64 of them add at most 64 descriptors to the bound.
     */
    static final int ANSWERING_REFUSALS = 64;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Semaphore answering = new Semaphore(ANSWERING_REFUSALS);
    private final LongAdder refusedAnswered = new LongAdder();
    private final LongAdder refusedClosed = new LongAdder();

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
     * Takes one of the places for answering a refusal, counting the refusal as answered (counted
     * before the answer is written, as every answer is, so a client never sees /metrics behind it);
     * false, counted as closed unanswered: close the connection at once.
     */
    boolean tryAnswerRefusal() {
        if (answering.tryAcquire()) {
            refusedAnswered.increment();
            return true;
        }
        refusedClosed.increment();
        return false;
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
}
