package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Row softmax (forward in place, backward) and the fused log-softmax cross-entropy. */
public final class SoftmaxKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int GRAIN_ELEMS = 1 << 14;

    private SoftmaxKernels() {}

    private static int grainRows(int n) {
        return Math.max(1, GRAIN_ELEMS / Math.max(1, n));
    }

    /**
     * Softmax of each row of z (rows × n, contiguous from 0), in place. Max-subtracted; a row
     * whose max is -inf (every entry masked with -inf) becomes all zeros instead of NaN.
     */
    public static void softmaxRows(float[] z, int rows, int n) {
        Workers.parallelFor(rows, grainRows(n), (s, e) -> {
            for (int r = s; r < e; r++) softmaxRow(z, r * n, null, 0, z, r * n, n);
        });
    }

    /**
     * z = softmax(x + bias) per row, the add fused into the row pass (one read of x and bias, one
     * write of z, instead of writing x + bias out and reading it back). x is contiguous from xOff,
     * rows × n. Row r of bias starts at biasOff + Σ_d index_d(r)·biasStrides[d], where index_d(r)
     * are r's coordinates in the leading dims {@code lead} (product = rows); the bias's last dim
     * has stride 1 (a broadcast last dim goes through the unfused path).
     */
    public static void softmaxRowsBiased(float[] x, int xOff, float[] bias, int biasOff, int[] lead, int[] biasStrides,
                                         float[] z, int rows, int n) {
        Workers.parallelFor(rows, grainRows(n), (s, e) -> {
            for (int r = s; r < e; r++) {
                int bo = biasOff;
                for (int d = lead.length - 1, rem = r; d >= 0; d--) {
                    bo += (rem % lead[d]) * biasStrides[d];
                    rem /= lead[d];
                }
                softmaxRow(x, xOff + r * n, bias, bo, z, r * n, n);
            }
        });
    }

    /** dz = y ⊙ (g − Σ g⊙y) per row; y, dz contiguous from 0, g from gOff. */
    public static void softmaxBackwardRows(float[] y, float[] g, int gOff, float[] dz, int rows, int n) {
        Workers.parallelFor(rows, grainRows(n), (s, e) -> {
            for (int r = s; r < e; r++) softmaxBackwardRow(y, r * n, g, gOff + r * n, dz, r * n, n);
        });
    }

    /**
     * p[pOff..+n) = softmax(s[sOff..+n) + bias[bOff..+n)) (bias may be null; p may be s, in place),
     * on the calling thread: the row code of every softmax here and of the fused attention op. A row
     * whose every entry is -∞ becomes zeros instead of NaN.
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
        float inv = 1f / expShiftInPlace(p, pOff, n, max);
        for (i = 0; i < upper; i += L) FloatVector.fromArray(S, p, pOff + i).mul(inv).intoArray(p, pOff + i);
        for (; i < n; i++) p[pOff + i] *= inv;
    }

    /** ds[dsOff..+n) = p ⊙ (g − Σ g⊙p) for one row, on the calling thread (the softmax backward). */
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

    /**
     * Cross-entropy forward: for each counted row r (labels[r] != ignoreIndex) stores
     * lse[r] = log Σ exp(z[r]) and returns Σ over counted rows of (1 − ε)(lse[r] − z[r, label]) +
     * ε·mean_v(lse[r] − z[r, v]) in double, ε = {@code smoothing} (label smoothing, PyTorch's
     * {@code cross_entropy(label_smoothing=ε)}: the target is 1 − ε on the label plus ε/V on every
     * class; 0 = plain cross-entropy, the same bits as without the term).
     */
    public static double crossEntropy(float[] z, int zOff, int rows, int v, int[] labels, int ignoreIndex, float smoothing,
                                      float[] lse) {
        double[] perRow = new double[rows];
        Workers.parallelFor(rows, grainRows(v), (s, e) -> {
            for (int r = s; r < e; r++) {
                if (labels[r] == ignoreIndex) continue;
                int off = zOff + r * v;
                float max = max(z, off, v);
                float sum = expSum(z, off, v, max);
                float l = max + (float) Math.log(sum);
                lse[r] = l;
                double nll = (double) l - z[off + labels[r]];
                perRow[r] = smoothing == 0f ? nll
                        : (1.0 - smoothing) * nll + smoothing * (sumBelow(z, off, v, l) / v);
            }
        });
        double total = 0;
        for (double d : perRow) total += d;
        return total;
    }

    /**
     * Σ_i (l − x[i]) over a row, l ≥ every x[i] (the row's log-sum-exp): −Σ log softmax, the smoothing
     * term. Summed as non-negative terms in four vector accumulators, not as n·l − Σx, whose two
     * large near-equal parts would cancel.
     */
    private static double sumBelow(float[] x, int off, int n, float l) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        FloatVector top = FloatVector.broadcast(S, l);
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector d = top.sub(FloatVector.fromArray(S, x, off + i));
            switch ((i / L) & 3) {
                case 0 -> s0 = s0.add(d);
                case 1 -> s1 = s1.add(d);
                case 2 -> s2 = s2.add(d);
                default -> s3 = s3.add(d);
            }
        }
        double sum = FixedOrderSum.sum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) sum += l - x[off + i];
        return sum;
    }

    /**
     * dz[r] = scale·(softmax(z[r]) − (1 − ε)·onehot(label) − ε/V) for counted rows, 0 for ignored
     * rows; ε = {@code smoothing} (0: the plain gradient, bit for bit).
     */
    public static void crossEntropyBackward(float[] z, int zOff, int rows, int v, int[] labels, int ignoreIndex, float smoothing,
                                            float[] lse, float scale, float[] dz) {
        float uniform = smoothing == 0f ? 0f : scale * (smoothing / v);
        float onLabel = smoothing == 0f ? scale : scale * (1f - smoothing);
        Workers.parallelFor(rows, grainRows(v), (s, e) -> {
            for (int r = s; r < e; r++) {
                int off = zOff + r * v, out = r * v;
                if (labels[r] == ignoreIndex) {
                    java.util.Arrays.fill(dz, out, out + v, 0f);
                    continue;
                }
                float l = lse[r];
                // VectorExp, not lanewise(EXP): the same bits in every JIT tier (see VectorExp).
                int i = 0;
                FloatVector shift = FloatVector.broadcast(S, l);
                if (uniform == 0f) {
                    for (int upper = S.loopBound(v); i < upper; i += L) {
                        VectorExp.exp(FloatVector.fromArray(S, z, off + i).sub(shift)).mul(scale).intoArray(dz, out + i);
                    }
                    for (; i < v; i++) dz[out + i] = VectorExp.exp(z[off + i] - l) * scale;
                } else {
                    for (int upper = S.loopBound(v); i < upper; i += L) {
                        VectorExp.exp(FloatVector.fromArray(S, z, off + i).sub(shift)).mul(scale).sub(uniform).intoArray(dz, out + i);
                    }
                    for (; i < v; i++) dz[out + i] = VectorExp.exp(z[off + i] - l) * scale - uniform;
                }
                dz[out + labels[r]] -= onLabel;
            }
        });
    }

    static float max(float[] x, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= L) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int upper = S.loopBound(n); i < upper; i += L) {
                acc = acc.max(FloatVector.fromArray(S, x, off + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /**
     * x ← exp(x − max) in place; returns the sum. Deterministic in every JIT tier: {@link VectorExp},
     * four vector accumulators (each lane of a 32k-vocabulary row sums ~500 terms, keeping float
     * accuracy near 1e-6) and a fixed-order lane sum.
     */
    static float expShiftInPlace(float[] x, int off, int n, float max) {
        return expSum(x, off, n, max, true);
    }

    private static float expSum(float[] x, int off, int n, float max) {
        return expSum(x, off, n, max, false);
    }

    private static float expSum(float[] x, int off, int n, float max, boolean store) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        FloatVector shift = FloatVector.broadcast(S, max);
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector e = VectorExp.exp(FloatVector.fromArray(S, x, off + i).sub(shift));
            if (store) e.intoArray(x, off + i);
            // Four accumulators in a fixed rotation (i / L mod 4): the same order on every run.
            switch ((i / L) & 3) {
                case 0 -> s0 = s0.add(e);
                case 1 -> s1 = s1.add(e);
                case 2 -> s2 = s2.add(e);
                default -> s3 = s3.add(e);
            }
        }
        float sum = FixedOrderSum.sum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) { // tail: the same polynomial, one lane at a time
            float e = VectorExp.exp(x[off + i] - max);
            if (store) x[off + i] = e;
            sum += e;
        }
        return sum;
    }
}
