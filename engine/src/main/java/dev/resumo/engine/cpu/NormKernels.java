package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** T5 RMS norm over rows: y = x · r · w with r = 1/sqrt(mean(x²) + eps). */
public final class NormKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int GRAIN_ELEMS = 1 << 14;

    private NormKernels() {}

    private static int grainRows(int d) {
        return Math.max(1, GRAIN_ELEMS / Math.max(1, d));
    }

    /** Forward; x from xOff, w from wOff, out contiguous from 0; invRms (per row) may be null. */
    public static void rmsNorm(float[] x, int xOff, float[] w, int wOff, int rows, int d, float eps,
                               float[] out, float[] invRms) {
        Workers.parallelFor(rows, grainRows(d), (s, e) -> {
            for (int r = s; r < e; r++) {
                int xo = xOff + r * d, oo = r * d;
                float inv = (float) (1.0 / Math.sqrt(sumSquares(x, xo, d) / d + eps));
                if (invRms != null) invRms[r] = inv;
                int i = 0;
                for (int upper = S.loopBound(d); i < upper; i += L) {
                    FloatVector.fromArray(S, x, xo + i).mul(inv).mul(FloatVector.fromArray(S, w, wOff + i))
                            .intoArray(out, oo + i);
                }
                for (; i < d; i++) out[oo + i] = x[xo + i] * inv * w[wOff + i];
            }
        });
    }

    /** dx_j = r·g_j·w_j − r³·x_j/d · Σ_i g_i·w_i·x_i (per row). dx contiguous from 0. */
    public static void rmsNormBackwardX(float[] x, int xOff, float[] w, int wOff, float[] g, int gOff,
                                        float[] invRms, int rows, int d, float[] dx) {
        rmsNormBackward(x, xOff, w, wOff, g, gOff, invRms, rows, d, dx, null);
    }

    /** dw_j += Σ_rows g_j·x_j·r (see {@link #rmsNormBackward}). */
    public static void rmsNormBackwardW(float[] x, int xOff, float[] g, int gOff, float[] invRms,
                                        int rows, int d, float[] dw) {
        rmsNormBackward(x, xOff, null, 0, g, gOff, invRms, rows, d, null, dw);
    }

    /** Rows per partial sum of dw: fixed, so its sums group the same way for any thread count. */
    private static final int W_BLOCK_ROWS = 32;

    /**
     * Both gradients in one pass over x and g, either output null when not wanted: dx as
     * {@link #rmsNormBackwardX} (contiguous from 0), dw_j += Σ_rows g_j·x_j·r summed per block of
     * {@value #W_BLOCK_ROWS} rows, then over the blocks in order. Each task walks whole rows
     * (sequential reads); dw used to be split by columns, every task reading a 64-byte strip of
     * each 2 KB row, and x and g were read once for dx and again for dw. Measured on the training
     * step's shapes (2 threads, x and g from L3): [2048, 512] 0.56-0.61 ms as two kernels, 0.28 ms
     * fused; [512, 512] 0.12 → 0.07 ms.
     */
    public static void rmsNormBackward(float[] x, int xOff, float[] w, int wOff, float[] g, int gOff, float[] invRms,
                                       int rows, int d, float[] dx, float[] dw) {
        rmsNormBackward(x, xOff, w, wOff, g, gOff, invRms, rows, d, dx, dw,
                dw == null ? null : new float[wPartialsLength(rows, d)]);
    }

    /** Floats of the dw partial sums {@link #rmsNormBackward} needs: one row of d per block of rows. */
    public static int wPartialsLength(int rows, int d) {
        return (rows + W_BLOCK_ROWS - 1) / W_BLOCK_ROWS * d;
    }

    /**
     * As above with the caller's partial sums: {@code partials} holds at least {@link
     * #wPartialsLength} zeros when dw is wanted (a training step takes them from its pool: 128 KiB
     * per norm at PTT5-small's encoder shape, ~32 norms a step).
     */
    public static void rmsNormBackward(float[] x, int xOff, float[] w, int wOff, float[] g, int gOff, float[] invRms,
                                       int rows, int d, float[] dx, float[] dw, float[] partials) {
        int blocks = (rows + W_BLOCK_ROWS - 1) / W_BLOCK_ROWS;
        if (dw != null && (partials == null || partials.length < blocks * d)) {
            throw new IllegalArgumentException("rmsNormBackward: dw needs " + blocks * d + " zeroed partial sums, got "
                    + (partials == null ? "none" : partials.length));
        }
        Workers.parallelFor(blocks, Math.max(1, grainRows(d) / W_BLOCK_ROWS), (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                for (int r = b * W_BLOCK_ROWS, end = Math.min(rows, r + W_BLOCK_ROWS); r < end; r++) {
                    int xo = xOff + r * d, go = gOff + r * d;
                    if (dx != null) backwardXRow(x, xo, w, wOff, g, go, invRms[r], d, dx, r * d);
                    if (dw != null) accumulateW(x, xo, g, go, invRms[r], d, partials, b * d);
                }
            }
        });
        if (dw == null) return;
        for (int b = 0; b < blocks; b++) {
            int j = 0, at = b * d;
            for (int upper = S.loopBound(d); j < upper; j += L) {
                FloatVector.fromArray(S, dw, j).add(FloatVector.fromArray(S, partials, at + j)).intoArray(dw, j);
            }
            for (; j < d; j++) dw[j] += partials[at + j];
        }
    }

    private static void backwardXRow(float[] x, int xo, float[] w, int wOff, float[] g, int go, float inv, int d,
                                     float[] dx, int oo) {
        int i = 0;
        int upper = S.loopBound(d);
        FloatVector acc = FloatVector.zero(S);
        for (; i < upper; i += L) {
            FloatVector gw = FloatVector.fromArray(S, g, go + i).mul(FloatVector.fromArray(S, w, wOff + i));
            acc = gw.fma(FloatVector.fromArray(S, x, xo + i), acc);
        }
        float dot = LaneSums.sum(acc);
        for (; i < d; i++) dot += g[go + i] * w[wOff + i] * x[xo + i];
        float c = inv * inv * inv * dot / d;
        i = 0;
        for (; i < upper; i += L) {
            FloatVector gw = FloatVector.fromArray(S, g, go + i).mul(FloatVector.fromArray(S, w, wOff + i));
            gw.mul(inv).sub(FloatVector.fromArray(S, x, xo + i).mul(c)).intoArray(dx, oo + i);
        }
        for (; i < d; i++) dx[oo + i] = inv * g[go + i] * w[wOff + i] - c * x[xo + i];
    }

    private static void accumulateW(float[] x, int xo, float[] g, int go, float inv, int d, float[] partial, int at) {
        int j = 0;
        for (int upper = S.loopBound(d); j < upper; j += L) {
            FloatVector.fromArray(S, x, xo + j).mul(FloatVector.fromArray(S, g, go + j)).mul(inv)
                    .add(FloatVector.fromArray(S, partial, at + j)).intoArray(partial, at + j);
        }
        for (; j < d; j++) partial[at + j] += x[xo + j] * g[go + j] * inv;
    }

    private static double sumSquares(float[] x, int off, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            acc = v.fma(v, acc);
        }
        double s = LaneSums.sum(acc);
        for (; i < n; i++) s += (double) x[off + i] * x[off + i];
        return s;
    }
}
