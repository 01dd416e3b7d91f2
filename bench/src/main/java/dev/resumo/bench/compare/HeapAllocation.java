package dev.resumo.bench.compare;

import java.lang.management.ManagementFactory;

/**
 * Bytes the JVM's threads have allocated on the heap, for the allocation figure of `bench
 * compare`. Why it is reported: the engine's step loops are meant to reuse their buffers, and a
 * vector that C2 fails to keep in registers (passed to or returned from a call it did not inline)
 * becomes one object per vector operation — it cost no visible time on this machine's noise but
 * allocated 6.5 GB in 20 s of greedy batch 8 and beam search, found only by JFR. A figure per
 * run makes such a regression show in every comparison.
 */
public final class HeapAllocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t ? t : null;

    private HeapAllocation() {}

    /** Bytes allocated by all threads since the JVM started, or -1 where the JVM cannot say. */
    public static long bytes() {
        if (THREADS == null || !THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) return -1;
        return THREADS.getTotalThreadAllocatedBytes();
    }

    /** MiB allocated since {@code before} (a value of {@link #bytes}); NaN where either is unknown. */
    public static double mibSince(long before) {
        long now = bytes();
        return before < 0 || now < 0 ? Double.NaN : (now - before) / (1024.0 * 1024.0);
    }
}
