package dev.resumo.engine.cpu;

/**
 * The one pool of worker threads every CPU kernel uses, sized once ({@code --threads}, default
 * the available processors).
 *
 * <p>PLACEHOLDER: runs serially; the real pool replaces the body, keeping these signatures.
 */
public final class Workers {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();

    private Workers() {}

    /** A body that handles the half-open range [start, end) of some index space. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /** Sets the pool size; call before the first kernel runs (the CLI's --threads). */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        threads = n;
    }

    public static int threads() {
        return threads;
    }

    /**
     * Splits [0, n) into contiguous chunks of at least {@code grain} indices and runs them on the
     * pool, returning when all are done. Small ranges run on the caller's thread.
     */
    public static void parallelFor(int n, int grain, RangeBody body) {
        if (n > 0) body.run(0, n);
    }
}
