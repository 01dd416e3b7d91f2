package dev.resumo.bench;

import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's practical FMA ceiling: each thread runs {@link #CHAINS} independent chains of
 * {@code FloatVector.fma}, enough to cover the FMA latency on every FMA port, with no memory
 * traffic. What a GEMM reaches is reported as a fraction of this.
 */
public final class FmaPeak {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Independent accumulators: latency 4 × 2 FMA ports needs at least 8; 12 leaves slack. */
    public static final int CHAINS = 12;

    private FmaPeak() {}

    /** Flops done by one call of {@link #chains} with {@code iterations}. */
    public static double flopsPerCall(long iterations) {
        return 2.0 * CHAINS * S.length() * iterations;
    }

    /** {@code iterations} steps of 12 independent FMA chains; the result keeps the work alive. */
    public static float chains(long iterations, float x) {
        FloatVector a = FloatVector.broadcast(S, x);
        FloatVector b = FloatVector.broadcast(S, 0.999f);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++) {
            c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3);
            c4 = a.fma(b, c4); c5 = a.fma(b, c5); c6 = a.fma(b, c6); c7 = a.fma(b, c7);
            c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    /**
     * GFLOP/s of {@code threads} threads running chains at the same time: best of {@code rounds}
     * rounds of about {@code millis} ms each (best, because a shared core only ever lowers it).
     */
    public static double measure(int threads, int rounds, int millis) throws InterruptedException {
        // Warm up until the loop is compiled, and size the work to the requested duration.
        long iterations = 1_000_000;
        for (int i = 0; i < 20; i++) chains(100_000, 1f);
        long t0 = System.nanoTime();
        chains(iterations, 1f);
        double perIteration = (System.nanoTime() - t0) / (double) iterations;
        iterations = Math.max(100_000, (long) (millis * 1e6 / perIteration));
        double best = 0;
        for (int r = 0; r < rounds; r++) {
            best = Math.max(best, runTogether(threads, iterations));
        }
        return best;
    }

    private static double runTogether(int threads, long iterations) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        Thread[] workers = new Thread[threads];
        float[] sink = new float[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                sink[id] = chains(iterations, 1f + id);
            });
            workers[t].start();
        }
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        long t0 = System.nanoTime();
        for (Thread w : workers) w.join();
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (Float.isNaN(sink[0])) throw new IllegalStateException("FMA chains gave NaN");
        return threads * flopsPerCall(iterations) / seconds / 1e9;
    }
}
