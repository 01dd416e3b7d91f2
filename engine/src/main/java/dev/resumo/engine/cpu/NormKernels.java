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
        Workers.parallelFor(rows, grainRows(d), (s, e) -> {
            for (int r = s; r < e; r++) {
                int xo = xOff + r * d, go = gOff + r * d, oo = r * d;
                int i = 0;
                int upper = S.loopBound(d);
                FloatVector acc = FloatVector.zero(S);
                for (; i < upper; i += L) {
                    FloatVector gw = FloatVector.fromArray(S, g, go + i).mul(FloatVector.fromArray(S, w, wOff + i));
                    acc = gw.fma(FloatVector.fromArray(S, x, xo + i), acc);
                }
                float dot = LaneSums.sum(acc);
                for (; i < d; i++) dot += g[go + i] * w[wOff + i] * x[xo + i];
                float inv = invRms[r];
                float c = inv * inv * inv * dot / d;
                i = 0;
                for (; i < upper; i += L) {
                    FloatVector gw = FloatVector.fromArray(S, g, go + i).mul(FloatVector.fromArray(S, w, wOff + i));
                    gw.mul(inv).sub(FloatVector.fromArray(S, x, xo + i).mul(c)).intoArray(dx, oo + i);
                }
                for (; i < d; i++) dx[oo + i] = inv * g[go + i] * w[wOff + i] - c * x[xo + i];
            }
        });
    }

    /** dw_j = Σ_rows g_j·x_j·r; parallel over column blocks so no two tasks share a slot. */
    public static void rmsNormBackwardW(float[] x, int xOff, float[] g, int gOff, float[] invRms,
                                        int rows, int d, float[] dw) {
        int blocks = (d + L - 1) / L;
        Workers.parallelFor(blocks, Math.max(1, blocks / 16), (s, e) -> {
            int c0 = s * L, c1 = Math.min(d, e * L);
            for (int r = 0; r < rows; r++) {
                int xo = xOff + r * d, go = gOff + r * d;
                float inv = invRms[r];
                int j = c0;
                for (; j + L <= c1; j += L) {
                    FloatVector.fromArray(S, x, xo + j).mul(FloatVector.fromArray(S, g, go + j)).mul(inv)
                            .add(FloatVector.fromArray(S, dw, j)).intoArray(dw, j);
                }
                for (; j < c1; j++) dw[j] += x[xo + j] * g[go + j] * inv;
            }
        });
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
