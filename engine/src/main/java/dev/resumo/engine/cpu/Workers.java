package dev.resumo.engine.cpu;

/**
 * The one pool of worker threads every CPU kernel uses, sized once ({@code --threads}, default
 * the available processors).
 *
 * <p>{@link #parallelFor} is called per op, thousands of times per training step, so it is built
 * to cost a few microseconds: the pool ({@link WorkerPool}) is created lazily on first use, the
 * caller thread works on the range too, a call allocates nothing, and idle workers spin briefly
 * before parking. A call made while the pool is already busy — from inside a body (nested) or
 * from a second thread at the same time — runs serially on its caller, so it cannot deadlock.
 */
public final class Workers {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile WorkerPool pool; // created on first parallel call, under Workers.class

    private Workers() {}

    /** A body that handles the half-open range [start, end) of some index space. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /**
     * Sets the pool size (the CLI's --threads). Call before the first kernel runs; a later call
     * with a different size retires the current pool and the next parallel call builds a new one.
     */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        synchronized (Workers.class) {
            threads = n;
            if (pool != null && pool.size() != n) {
                pool.shutdown();
                pool = null;
            }
        }
    }

    public static int threads() {
        return threads;
    }

    /**
     * Splits [0, n) into contiguous chunks of at least {@code grain} indices and runs them on the
     * pool, returning when all are done. Small ranges run on the caller's thread. The first
     * exception a chunk throws is rethrown here, after every chunk has finished or been skipped.
     */
    public static void parallelFor(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int t = threads;
        parallelForChunks(n, t == 1 ? 1 : chunkCount(n, Math.max(1, grain), t), body);
    }

    /**
     * As {@link #parallelFor}, in exactly min(chunks, n) chunks: for callers that size their chunks
     * to the thread count themselves (equal work per thread, where parallelFor's "at least grain"
     * can give two threads three chunks).
     */
    public static void parallelForChunks(int n, int chunks, RangeBody body) {
        if (n <= 0) return;
        int c = Math.max(1, Math.min(chunks, n));
        if (threads == 1 || c == 1 || WorkerPool.isWorkerThread()) {
            body.run(0, n);
            return;
        }
        WorkerPool p = poolOrCreate(threads);
        if (!p.tryRun(n, c, body)) body.run(0, n); // pool busy: run on the caller
    }

    /** Up to four chunks per thread (for balance when a core is shared), each at least grain. */
    static int chunkCount(int n, int grain, int threads) {
        long byGrain = n / grain;
        return (int) Math.max(1, Math.min(byGrain, 4L * threads));
    }

    private static WorkerPool poolOrCreate(int t) {
        WorkerPool p = pool;
        if (p != null) return p;
        synchronized (Workers.class) {
            if (pool == null) pool = new WorkerPool(threads);
            return pool;
        }
    }
}
