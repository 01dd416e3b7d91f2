package dev.resumo.engine.cpu;

import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The argmax of h·Wᵀ (greedy decoding's next token from the lm_head) without reading all of W in
 * float32, and with the answer the float32 product would give.
 *
 * <p>Why: a greedy decoding step streams every decoder weight once, and the lm_head is the
 * largest of them (32128 × 512 floats, 66 MB of PTT5-small's 156 MB per step); the step is bound
 * by memory bandwidth, so reading it at half the bytes saves time in proportion.
 *
 * <p>How: {@link #approximate} computes Â_v = h·ŵ_v from a bfloat16 copy ŵ of W (half the bytes;
 * {@link #packInt8}: int8 with a scale per row, a quarter), each a sum of K products. The float32 logit L_v (one FMA chain over p = 0..K-1 from zero,
 * what {@link GemmPanels} computes — {@link #exact} reproduces it bit for bit) differs from Â_v by
 * at most B_v = ‖h‖₂·c_v + η, where
 * <ul>
 * <li>c_v = ‖w_v − ŵ_v‖₂ + γ_n (‖w_v‖₂ + ‖ŵ_v‖₂): the rounding of W to the copy (Cauchy–Schwarz),
 *     plus each sum's own rounding (Higham: a sum of products with at most n rounded operations on
 *     any path, in any order, is off by at most γ_n Σ|x_p y_p|, γ_n = n·u/(1 − n·u), u = 2⁻²⁴, and
 *     Σ|x_p y_p| ≤ ‖x‖₂‖y‖₂; n = K + 2 covers the chains split in parts, their sum and the int8
 *     copy's scale), computed once per row of W in double and rounded up;
 * <li>η = K·2⁻¹⁴⁹: what underflow to subnormals can add beyond that bound.
 * </ul>
 * With M = max_v (Â_v − B_v), every v with Â_v + B_v < M has L_v < M ≤ L_u for the u attaining
 * M: it can be neither the argmax nor tied with it. The float32 logits of the rest (usually one to
 * a few tokens) are computed exactly and the first largest wins, as {@code argmax} over the full
 * float32 logits would pick. Bounds are compared in double with every sum rounded outward, so the
 * screening never drops the true answer. Anything non-finite (h, an approximation, a candidate's
 * logit) returns -1: the caller then computes the full logits.
 */
public final class ScreenedLogits {
    private static final double U = 0x1p-24;
    /** Outward rounding of the double arithmetic of norms (each a sum of ≤ 2³¹ terms, relative error ≪ 1e-9). */
    private static final double SLACK = 1 + 1e-9;

    private final float[] w;
    private final int wOff;
    private final int n;
    private final int k;
    /** The bfloat16 copy ({@link #pack}), or null. */
    private final int[] bf16;
    /** The int8 copy and its per-row scales ({@link #packInt8}), or null. */
    private final byte[] int8;
    private final float[] scales;
    /** c_v above, per row of W. */
    private final double[] c;
    private final double cMax;
    private final double eta;

    private ScreenedLogits(float[] w, int wOff, int n, int k, int[] bf16, byte[] int8, float[] scales, double[] c) {
        this.w = w;
        this.wOff = wOff;
        this.n = n;
        this.k = k;
        this.bf16 = bf16;
        this.int8 = int8;
        this.scales = scales;
        this.c = c;
        double max = 0;
        for (double cv : c) max = Math.max(max, cv);
        this.cMax = max;
        this.eta = k * 0x1p-149;
    }

    /** The approximate value of one weight: what the copy stands for. */
    @FunctionalInterface
    private interface Rounding {
        /** The value the copy holds for w[at], row v of W; not finite when it cannot be bounded. */
        double of(float x, int v);
    }

    /**
     * Screens the row-major W [n×k] at w[offset..] with a bfloat16 copy, for any number of rows.
     * W must not change while this is in use (the float32 logits of the candidates are read from
     * it). Null when W holds a value that is not finite or too large for bfloat16: then there is no
     * bound and callers use the plain product.
     */
    public static ScreenedLogits pack(float[] w, int offset, int n, int k) {
        checkSizes(w, offset, n, k);
        // K products, at most K + 2 rounded operations on any path (the one-row tile's four chains and their sum).
        double[] c = errorBounds(w, offset, n, k, k + 2, (x, v) -> Bf16Panels.fromBf16(Bf16Panels.toBf16(x)));
        if (c == null) return null;
        int[] panels = new int[Bf16Panels.packedLength(n, k)];
        Bf16Panels.pack(w, offset, n, k, panels);
        return new ScreenedLogits(w, offset, n, k, panels, null, null, c);
    }

    /**
     * As {@link #pack}, with an int8 copy (a scale per row of W): a quarter of float32's bytes,
     * for one row at a time (batch-1 greedy decoding, bound by the stream) — its products take a
     * pass over the copy per row, and its bound is about four times as wide as bfloat16's.
     * Measured on PTT5-small's lm_head alone (32128 × 512, one row, 2 threads): float32 panels
     * 1.3-2.7 ms, bfloat16 0.85-2.1 ms, int8 0.48-1.0 ms.
     */
    public static ScreenedLogits packInt8(float[] w, int offset, int n, int k) {
        checkSizes(w, offset, n, k);
        float[] scales = new float[n];
        Workers.parallelFor(n, PREP_ROWS, (v0, v1) -> {
            for (int v = v0; v < v1; v++) scales[v] = Int8Panels.scale(w, offset + v * k, k);
        });
        // K products, at most K + 2 rounded operations on any path (chains, their sum, the scale).
        double[] c = errorBounds(w, offset, n, k, k + 2, (x, v) -> (double) scales[v] * Int8Panels.quantize(x, scales[v]));
        if (c == null) return null;
        byte[] panels = new byte[Int8Panels.packedLength(n, k)];
        Int8Panels.pack(w, offset, n, k, scales, panels);
        return new ScreenedLogits(w, offset, n, k, null, panels, scales, c);
    }

    private static void checkSizes(float[] w, int offset, int n, int k) {
        if (n <= 0 || k <= 0) throw new IllegalArgumentException("screened logits sizes must be > 0, got n=" + n + " k=" + k);
        Objects.checkFromIndexSize(offset, Math.multiplyExact(n, k), w.length);
    }

    /**
     * c_v = ‖w_v − ŵ_v‖₂ + γ_ops (‖w_v‖₂ + ‖ŵ_v‖₂) for each row, in double and rounded up; null
     * when a weight or its rounding is not finite.
     */
    private static double[] errorBounds(float[] w, int offset, int n, int k, int ops, Rounding rounding) {
        double gamma = ops * U / (1 - ops * U);
        double[] c = new double[n];
        // Rows are independent (each its own sums, in the same order): split over the threads, the same
        // bits. Built once per model, but on the first greedy decode of a fresh JVM, where this pass
        // over the whole lm_head ran on one thread while the other waited (a one-shot summarize).
        // packInt8 of PTT5-small's 32128 × 512 lm_head in a fresh JVM, three interleaved pairs, 1 → 2
        // threads: first call 767-780 → 687-736 ms, second 592-628 → 516-521 ms (this pass is ~35% of it).
        java.util.concurrent.atomic.AtomicBoolean unbounded = new java.util.concurrent.atomic.AtomicBoolean();
        Workers.parallelFor(n, PREP_ROWS, (v0, v1) -> {
            for (int v = v0; v < v1 && !unbounded.get(); v++) {
                double diff = 0, norm = 0, normHat = 0;
                for (int p = 0, at = offset + v * k; p < k; p++, at++) {
                    float x = w[at];
                    double hat = rounding.of(x, v);
                    if (!Float.isFinite(x) || !Double.isFinite(hat) || Math.abs(hat) > Float.MAX_VALUE) {
                        unbounded.set(true);
                        return;
                    }
                    diff += (x - hat) * (x - hat);
                    norm += (double) x * x;
                    normHat += hat * hat;
                }
                double cv = (Math.sqrt(diff * SLACK) + gamma * (Math.sqrt(norm * SLACK) + Math.sqrt(normHat * SLACK))) * SLACK;
                c[v] = Math.nextUp(cv);
            }
        });
        return unbounded.get() ? null : c;
    }

    /** Rows of W per task in the one-time preparation passes (a few hundred KB of W each). */
    private static final int PREP_ROWS = 256;

    /** N: rows of W (the vocabulary). */
    public int outFeatures() {
        return n;
    }

    /** K: columns of W (d_model). */
    public int inFeatures() {
        return k;
    }

    /** out[r·n + v] = Â_v for rows r of h [m×k] at hOff (bfloat16 weights: approximations, see the class comment). */
    public void approximate(int m, float[] h, int hOff, float[] out, int outOff) {
        if (m < 0) throw new IllegalArgumentException("rows must be >= 0, got " + m);
        Objects.checkFromIndexSize(hOff, Math.multiplyExact(m, k), h.length);
        Objects.checkFromIndexSize(outOff, Math.multiplyExact(m, n), out.length);
        if (m == 0) return;
        if (bf16 != null) {
            Bf16Panels.multiply(m, n, k, h, hOff, bf16, out, outOff);
            return;
        }
        for (int r = 0; r < m; r++) Int8Panels.multiplyRow(n, k, h, hOff + r * k, int8, scales, out, outOff + r * n);
    }

    /** The float32 logit of row v for h (k floats at hOff): one FMA chain over p from zero, GemmPanels' bits. */
    public float exact(float[] h, int hOff, int v) {
        float s = 0f;
        for (int p = 0, at = wOff + v * k; p < k; p++, at++) s = Math.fma(h[hOff + p], w[at], s);
        return s;
    }

    /**
     * The first index of the largest float32 logit h·w_v, given {@code approx[aOff..aOff+n)} from
     * {@link #approximate} for this h, where banned tokens were set to -∞ (their float32 logits
     * count as -∞ too). -1 when the screening cannot decide (non-finite values, every token
     * banned): compute the full logits then.
     */
    public int argmax(float[] h, int hOff, float[] approx, int aOff) {
        Objects.checkFromIndexSize(hOff, k, h.length);
        Objects.checkFromIndexSize(aOff, n, approx.length);
        double sq = 0;
        for (int p = 0; p < k; p++) sq += (double) h[hOff + p] * h[hOff + p];
        if (!Double.isFinite(sq)) return -1;
        double hNorm = Math.nextUp(Math.sqrt(sq * SLACK));
        // The largest approximation (NaN if any is: Java's max propagates it; then no bound holds).
        float top = max(approx, aOff, n);
        if (top != top || Float.isInfinite(top)) return -1;
        // Only tokens within 2·max B of the top can matter (B_v ≤ max B, and M ≥ top − B_top): a
        // vector compare per 16 tokens finds them, and the bounds in double are worked out for those.
        double bMax = up(hNorm * cMax + eta);
        double floorExact = down(top - 2 * bMax);
        float floor = (float) floorExact;
        if ((double) floor > floorExact) floor = Math.nextDown(floor);
        int[] near = NEAR.get();
        int count = 0;
        int v = 0;
        for (int bound = S.loopBound(n); v < bound; v += L) {
            VectorMask<Float> hit = FloatVector.fromArray(S, approx, aOff + v).compare(VectorOperators.GE, floor);
            if (!hit.anyTrue()) continue;
            for (long bits = hit.toLong(); bits != 0; bits &= bits - 1) {
                if (count == near.length) near = grow(near);
                near[count++] = v + Long.numberOfTrailingZeros(bits);
            }
        }
        for (; v < n; v++) {
            if (approx[aOff + v] >= floor) {
                if (count == near.length) near = grow(near);
                near[count++] = v;
            }
        }
        double m = Double.NEGATIVE_INFINITY; // M over the tokens that can attain it
        for (int i = 0; i < count; i++) {
            int t = near[i];
            m = Math.max(m, down(approx[aOff + t] - bound(t, hNorm)));
        }
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) { // ascending token ids
            int t = near[i];
            if (up(approx[aOff + t] + bound(t, hNorm)) < m) continue;
            float exact = exact(h, hOff, t);
            if (!Float.isFinite(exact)) return -1;
            if (best < 0 || exact > bestValue) { // the first of equals stays
                best = t;
                bestValue = exact;
            }
        }
        return best;
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Per thread: the ids of the tokens near the top of one row (grown when a row has more). */
    private static final ThreadLocal<int[]> NEAR = ThreadLocal.withInitial(() -> new int[256]);

    private static int[] grow(int[] near) {
        int[] g = java.util.Arrays.copyOf(near, near.length * 2);
        NEAR.set(g);
        return g;
    }

    /** The largest of x[off..off+n), NaN if any is NaN. */
    private static float max(float[] x, int off, int n) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) acc = acc.max(FloatVector.fromArray(S, x, off + i));
        float top = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) top = Math.max(top, x[off + i]);
        return top;
    }

    private double bound(int v, double hNorm) {
        return up(hNorm * c[v] + eta);
    }

    private static double up(double x) {
        return Math.nextUp(x);
    }

    private static double down(double x) {
        return Math.nextDown(x);
    }
}
