package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Sums over all elements or over one axis of contiguous data. */
public final class ReduceKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int CHUNK = 1 << 14;

    private ReduceKernels() {}

    /** Sum of x[off, off+n): float vector partial sums per chunk, chunks added in double. */
    public static double sumAll(float[] x, int off, int n) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks];
        Workers.parallelFor(chunks, 4, (s, e) -> {
            for (int c = s; c < e; c++) {
                int start = c * CHUNK;
                partial[c] = ElementwiseKernels.sumRow(x, off + start, Math.min(CHUNK, n - start));
            }
        });
        double total = 0;
        for (double p : partial) total += p;
        return total;
    }

    /**
     * Viewing x as [outer, len, inner]: out[o, i] = Σ_k x[o, k, i]. out is contiguous from 0
     * and is overwritten.
     */
    public static void sumAxis(float[] x, int off, int outer, int len, int inner, float[] out) {
        if (inner == 1) {
            Workers.parallelFor(outer, Math.max(1, CHUNK / Math.max(1, len)), (s, e) -> {
                for (int o = s; o < e; o++) out[o] = ElementwiseKernels.sumRow(x, off + o * len, len);
            });
            return;
        }
        Workers.parallelFor(outer, Math.max(1, CHUNK / Math.max(1, len * inner)), (s, e) -> {
            for (int o = s; o < e; o++) {
                int dst = o * inner;
                java.util.Arrays.fill(out, dst, dst + inner, 0f);
                for (int k = 0; k < len; k++) {
                    int src = off + (o * len + k) * inner;
                    int i = 0;
                    for (int upper = S.loopBound(inner); i < upper; i += L) {
                        FloatVector.fromArray(S, out, dst + i)
                                .add(FloatVector.fromArray(S, x, src + i)).intoArray(out, dst + i);
                    }
                    for (; i < inner; i++) out[dst + i] += x[src + i];
                }
            }
        });
    }
}
