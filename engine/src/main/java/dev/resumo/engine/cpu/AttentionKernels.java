package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded row kernels of the fused attention op (each task is one batch×head, so the
 * parallelism is outside): gathering one head out of the merged [rows, heads·d] layout, a softmax
 * row with its bias, and the softmax backward row. The arithmetic per element is the same as the
 * unfused {@link SoftmaxKernels} path (bias added first, max-shifted {@link VectorExp}, four-way
 * fixed-order sum), so results do not depend on how tasks land on threads.
 */
public final class AttentionKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private AttentionKernels() {}

    /** dst[r·d + c] = src[srcOff + r·stride + c]: one head's [rows, d] block out of [rows, heads·d]. */
    public static void gather(float[] src, int srcOff, int stride, int rows, int d, float[] dst) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, srcOff + r * stride, dst, r * d, d);
    }

    /** dst[dstOff + r·stride + c] = src[r·d + c]: one head's block back into [rows, heads·d]. */
    public static void scatter(float[] src, int rows, int d, float[] dst, int dstOff, int stride) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, r * d, dst, dstOff + r * stride, d);
    }

    /**
     * p[pOff..+n) = softmax(s[sOff..+n) + bias[bOff..+n)) (bias may be null). A row whose every
     * entry is -∞ becomes zeros instead of NaN, as in the unfused op.
     */
    public static void softmaxRow(float[] s, int sOff, float[] bias, int bOff, float[] p, int pOff, int n) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        int upper = S.loopBound(n);
        for (; i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(S, s, sOff + i);
            if (bias != null) v = v.add(FloatVector.fromArray(S, bias, bOff + i));
            v.intoArray(p, pOff + i);
            acc = acc.max(v);
        }
        float max = acc.reduceLanes(VectorOperators.MAX); // exact in any order
        for (; i < n; i++) {
            float v = bias != null ? s[sOff + i] + bias[bOff + i] : s[sOff + i];
            p[pOff + i] = v;
            max = Math.max(max, v);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(p, pOff, pOff + n, 0f);
            return;
        }
        float inv = 1f / SoftmaxKernels.expShiftInPlace(p, pOff, n, max);
        for (i = 0; i < upper; i += L) FloatVector.fromArray(S, p, pOff + i).mul(inv).intoArray(p, pOff + i);
        for (; i < n; i++) p[pOff + i] *= inv;
    }

    /** ds[dsOff..+n) = p ⊙ (g − Σ g⊙p) for one row (the softmax backward, as the unfused op). */
    public static void softmaxBackwardRow(float[] p, int pOff, float[] g, int gOff, float[] ds, int dsOff, int n) {
        int upper = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i < upper; i += L) {
            acc = FloatVector.fromArray(S, g, gOff + i).fma(FloatVector.fromArray(S, p, pOff + i), acc);
        }
        float dot = LaneSums.sum(acc);
        for (; i < n; i++) dot += g[gOff + i] * p[pOff + i];
        for (i = 0; i < upper; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pOff + i);
            FloatVector.fromArray(S, g, gOff + i).sub(dot).mul(pv).intoArray(ds, dsOff + i);
        }
        for (; i < n; i++) ds[dsOff + i] = p[pOff + i] * (g[gOff + i] - dot);
    }

    /** x[off..+n) *= m[mOff..+n) elementwise (dropout's scaled keep mask). */
    public static void mulInPlace(float[] x, int off, float[] m, int mOff, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(FloatVector.fromArray(S, m, mOff + i)).intoArray(x, off + i);
        }
        for (; i < n; i++) x[off + i] *= m[mOff + i];
    }
}
