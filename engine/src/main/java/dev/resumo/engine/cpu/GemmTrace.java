package dev.resumo.engine.cpu;

import dev.resumo.engine.TuningProperty;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code -Dresumo.gemm.trace=true}: wall time and GFLOP/s per GEMM shape of the cache-blocked
 * path, printed to stderr when the JVM exits — which products of a workload run slow, e.g. the
 * per-head attention products, single-threaded inside a worker, at 50-100 GFLOP/s while the
 * projections run near 300 (PTT5-small training step). {@code -Dresumo.gemm.traceDelayMs=N}
 * starts recording N ms after startup, past the JIT warm-up. Off, it costs one static-final test.
 * Times of products run concurrently on several workers add up, so their sum can exceed the wall time.
 */
final class GemmTrace {
    static final boolean ON = Boolean.getBoolean("resumo.gemm.trace");
    private static final long FROM = System.nanoTime() + TuningProperty.longValue("resumo.gemm.traceDelayMs", 0, 0, 1L << 40) * 1_000_000L;
    /** Per shape key: calls, nanoseconds, flops. */
    private static final Map<String, long[]> SHAPES = new ConcurrentHashMap<>();

    static {
        if (ON) Runtime.getRuntime().addShutdownHook(new Thread(GemmTrace::print, "gemm-trace"));
    }

    private GemmTrace() {}

    static void record(boolean transA, boolean transB, int m, int n, int k, boolean strided, boolean accumulate, long nanos) {
        if (System.nanoTime() < FROM) return;
        String key = (transA ? "T" : "N") + (transB ? "T" : "N") + " " + m + "x" + n + "x" + k
                + (strided ? " strided" : "") + (accumulate ? " accumulate" : "");
        long[] v = SHAPES.computeIfAbsent(key, x -> new long[3]);
        synchronized (v) {
            v[0]++;
            v[1] += nanos;
            v[2] += 2L * m * n * k;
        }
    }

    private static void print() {
        var rows = new ArrayList<>(SHAPES.entrySet());
        rows.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        long total = 0;
        for (var e : rows) total += e.getValue()[1];
        System.err.printf("gemm trace: %.3f s in %d shapes (layout MxNxK)%n", total / 1e9, rows.size());
        for (var e : rows) {
            long[] v = e.getValue();
            System.err.printf("  %-44s %7d calls %9.1f ms %7.1f GFLOP/s%n", e.getKey(), v[0], v[1] / 1e6, v[2] / (double) v[1]);
        }
    }
}
