package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded helpers of the fused attention op (each task is one batch×head, so the
 * parallelism is outside): dropout's mask product. Its softmax rows are {@link SoftmaxKernels#softmaxRow} and
 * {@link SoftmaxKernels#softmaxBackwardRow}, the same row code the unfused softmax runs.
 */
public final class AttentionKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private AttentionKernels() {}

    /** x[off..+n) *= m[mOff..+n) elementwise (dropout's scaled keep mask). */
    public static void mulInPlace(float[] x, int off, float[] m, int mOff, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(FloatVector.fromArray(S, m, mOff + i)).intoArray(x, off + i);
        }
        for (; i < n; i++) x[off + i] *= m[mOff + i];
    }
}
