package dev.resumo.engine.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads behind {@link Workers}: {@code size - 1} daemon workers plus the calling thread.
 *
 * <p>One job runs at a time. Its chunks are claimed through a single atomic word,
 * {@code generation << 32 | nextChunk}: a claim is a compare-and-set that names the generation,
 * so a worker that wakes late can never take a chunk of a newer job with a stale body. While a
 * new job's fields are written the low half holds {@link #CLOSED}, which no claim accepts. Job
 * fields are reused between calls, so a call allocates nothing.
 */
final class WorkerPool {
    private static final long LOW = 0xFFFF_FFFFL;
    private static final long CLOSED = LOW;
    /** How long a waiting thread spins on the core: ops of one step follow each other closely. */
    private static final long SPIN_NANOS = 50_000;
    /**
     * Until when it goes on looking, with {@link Thread#yield}s in between (an idle worker after
     * every 64 looks, the caller waiting for chunks after each), before parking.
     * Why: a parked worker's vCPU took 32-131 µs to wake for 9-15% of jobs (a greedy batch-1
     * decode's ops are 10-200 µs), and a plain 500 µs spin, which fixed that, made greedy batch 1
     * 25% slower beside a busy process (0 of 40 pairs faster): the spinner held the core the
     * thread with work needed. Yielding does neither. Alternating run by run in one JVM against
     * spin-then-park (2 vCPUs, PTT5-small shape, 64 new tokens): greedy batch 1 faster in 98 of
     * 150 pairs (geometric mean 1.04x), beside a `yes` process in 37 of 40 (1.18x); greedy batch 8
     * 28 of 40 (1.02x). Past 500 µs nothing more: 2 ms against 500 µs, 60 of 120.
     */
    private static final long YIELD_NANOS = 500_000;

    private final AtomicLong state = new AtomicLong(CLOSED);
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Worker[] workers;

    // The current job; written only while its generation is CLOSED.
    private volatile Workers.RangeBody body;
    private volatile int rangeEnd;
    private volatile int chunks;
    private volatile Throwable firstError;
    private volatile Thread caller;
    private volatile boolean callerParked;
    private volatile boolean shutdown;

    WorkerPool(int size) {
        workers = new Worker[size - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, i + 1);
            workers[i].start();
        }
    }

    int size() {
        return workers.length + 1;
    }

    static boolean isWorkerThread() {
        return Thread.currentThread() instanceof Worker;
    }

    void shutdown() {
        shutdown = true;
        for (Worker w : workers) LockSupport.unpark(w);
    }

    /**
     * Runs {@code body} over [0, n) in {@code chunkCount} chunks on the pool and the caller.
     * Returns false, having run nothing, when another job holds the pool.
     */
    boolean tryRun(int n, int chunkCount, Workers.RangeBody job) {
        if (!busy.compareAndSet(false, true)) return false;
        try {
            long gen = (state.get() >>> 32) + 1;
            state.set(gen << 32 | CLOSED);
            body = job;
            rangeEnd = n;
            chunks = chunkCount;
            done.set(0);
            firstError = null;
            caller = Thread.currentThread();
            state.set(gen << 32); // open: chunk 0 is next
            for (Worker w : workers) {
                if (w.parked) LockSupport.unpark(w);
            }
            work(gen, job, n, chunkCount);
            awaitDone(chunkCount);
            body = null; // do not keep the caller's objects alive
            Throwable error = firstError;
            if (error != null) {
                firstError = null;
                throwUnchecked(error);
            }
            return true;
        } finally {
            busy.set(false);
        }
    }

    /** Claims and runs chunks of generation {@code gen} until none is left. */
    private void work(long gen, Workers.RangeBody job, int n, int chunkCount) {
        while (true) {
            long v = state.get();
            if ((v >>> 32) != gen || (v & LOW) >= chunkCount) return;
            if (!state.compareAndSet(v, v + 1)) continue;
            int idx = (int) (v & LOW);
            if (firstError == null) {
                try {
                    job.run(chunkStart(idx, n, chunkCount), chunkStart(idx + 1, n, chunkCount));
                } catch (Throwable t) {
                    if (firstError == null) firstError = t;
                }
            }
            if (done.incrementAndGet() == chunkCount && callerParked) LockSupport.unpark(caller);
        }
    }

    private static int chunkStart(int idx, int n, int chunkCount) {
        return (int) ((long) idx * n / chunkCount);
    }

    private void awaitDone(int chunkCount) {
        long start = System.nanoTime();
        int spins = 0;
        while (done.get() != chunkCount) {
            if (++spins < 64 || System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            if (System.nanoTime() - start < YIELD_NANOS) {
                Thread.yield();
                continue;
            }
            // A worker holding a chunk was descheduled (the cores are shared): stop burning a core.
            callerParked = true;
            if (done.get() != chunkCount) LockSupport.parkNanos(this, 100_000);
            callerParked = false;
        }
    }

    /** The loop of one worker: wait for a new open generation, then help with it. */
    private void serve(Worker self) {
        long seen = state.get() >>> 32;
        while (!shutdown) {
            long v = state.get();
            if ((v >>> 32) == seen || (v & LOW) == CLOSED) {
                idle(self, seen);
                continue;
            }
            long gen = v >>> 32;
            seen = gen;
            Workers.RangeBody job = body;
            int n = rangeEnd;
            int chunkCount = chunks;
            // The fields may already belong to a newer job; then every claim for gen fails.
            if (job != null) work(gen, job, n, chunkCount);
        }
    }

    private void idle(Worker self, long seen) {
        long start = System.nanoTime();
        int spins = 0;
        while (!shutdown) {
            long v = state.get();
            if ((v >>> 32) != seen && (v & LOW) != CLOSED) return;
            if ((++spins & 63) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long waited = System.nanoTime() - start;
            if (waited < SPIN_NANOS) continue;
            if (waited < YIELD_NANOS) {
                Thread.yield();
                continue;
            }
            self.parked = true;
            v = state.get();
            if ((v >>> 32) == seen || (v & LOW) == CLOSED) LockSupport.park(this);
            self.parked = false;
            start = System.nanoTime();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void throwUnchecked(Throwable t) throws T {
        throw (T) t;
    }

    private static final class Worker extends Thread {
        private final WorkerPool pool;
        volatile boolean parked;

        Worker(WorkerPool pool, int index) {
            super("resumo-worker-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            pool.serve(this);
        }
    }
}
