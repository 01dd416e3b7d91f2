package dev.resumo.engine.cpu;

import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight W [N×K] (a Linear applied as x·Wᵀ) copied transposed, K rows of N, for one-row
 * products whose input is mostly zeros — a ReLU's output feeding the feed-forward's output
 * projection during batch-1 decoding. Only the rows of Wᵀ whose input is not zero are read, each
 * as one contiguous run: with half the inputs zero a 2048×512 weight streamed from memory took
 * 65-75 µs against 82 µs for the column panels (2 threads), with 90% zero 12-14 µs against 78-84;
 * below 40% zeros the panels' sequential streams win (25% zeros: 102 against 89 µs), so
 * {@link #multiplyRow} declines and the caller uses them.
 *
 * <p>Every output is the FMA chain of {@link GemmPanels}' one-row tile with its zero terms left
 * out: Σ a[i]·W[j][i] over i ascending from zero. fma(0, w, s) is s for any finite w, so the bits
 * are the same (a zero-valued sum may differ in the sign of its zero; a non-finite weight times a
 * zero input, NaN there, is skipped here).
 */
public final class SparseRowWeight {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Vectors per unit of work: threads take whole units; a kernel call covers one or two. */
    private static final int UNIT = 8;
    /** Most non-zero inputs (as a share of K) for which the rows beat the panels (measured above). */
    static final double MAX_NONZERO_SHARE = 0.6;

    private final float[] rows; // Wᵀ: rows[i * n + j] = W[j][i]
    private final int n;
    private final int k;
    private static final ThreadLocal<int[]> NONZERO = ThreadLocal.withInitial(() -> new int[0]);
    private static final ThreadLocal<float[]> OUT = ThreadLocal.withInitial(() -> new float[0]);

    private SparseRowWeight(float[] rows, int n, int k) {
        this.rows = rows;
        this.n = n;
        this.k = k;
    }

    /** Copies the row-major W [n×k] found at w[offset..], transposed. */
    public static SparseRowWeight pack(float[] w, int offset, int n, int k) {
        if (n <= 0 || k <= 0) throw new IllegalArgumentException("weight sizes must be > 0, got n=" + n + " k=" + k);
        Objects.checkFromIndexSize(offset, Math.multiplyExact(n, k), w.length);
        float[] rows = new float[Math.multiplyExact(n, k)];
        // Blocks of 64×64 so both the reads along W's rows and the writes along Wᵀ's stay in cache.
        Workers.parallelFor((k + 63) / 64, 1, (b0, b1) -> {
            for (int i0 = b0 * 64; i0 < Math.min(k, b1 * 64); i0 += 64) {
                int i1 = Math.min(k, i0 + 64);
                for (int j0 = 0; j0 < n; j0 += 64) {
                    int j1 = Math.min(n, j0 + 64);
                    for (int j = j0; j < j1; j++) {
                        for (int i = i0; i < i1; i++) rows[i * n + j] = w[offset + j * k + i];
                    }
                }
            }
        });
        return new SparseRowWeight(rows, n, k);
    }

    public int outFeatures() {
        return n;
    }

    public int inFeatures() {
        return k;
    }

    /**
     * c[0..N) (+)= a[0..K) · Wᵀ from the rows of the non-zero inputs, when at most
     * {@link #MAX_NONZERO_SHARE} of them are non-zero; otherwise writes nothing and returns false.
     */
    public boolean multiplyRow(float[] a, int aOff, float[] c, int cOff, boolean accumulate) {
        Objects.checkFromIndexSize(aOff, k, a.length);
        Objects.checkFromIndexSize(cOff, n, c.length);
        int[] nonzero = NONZERO.get();
        if (nonzero.length < k) {
            nonzero = new int[k];
            NONZERO.set(nonzero);
        }
        int count = 0;
        int limit = (int) (MAX_NONZERO_SHARE * k);
        for (int i = 0; i < k; i++) {
            if (a[aOff + i] != 0f) {
                if (count == limit) return false;
                nonzero[count++] = i;
            }
        }
        float[] out = c;
        int outOff = cOff;
        if (accumulate) { // the sums first, then C added to them, as GemmPanels stores its tiles
            out = OUT.get();
            if (out.length < n) {
                out = new float[n];
                OUT.set(out);
            }
            outOff = 0;
        }
        int[] idx = nonzero;
        int nz = count;
        float[] o = out;
        int oo = outOff;
        int units = (n + UNIT * L - 1) / (UNIT * L);
        int threads = Workers.threads();
        Workers.parallelFor(units, (units + threads - 1) / threads, (u0, u1) -> {
            int v = u0 * UNIT;
            int vEnd = Math.min((n + L - 1) / L, u1 * UNIT);
            for (; v + 2 * UNIT <= vEnd && (v + 2 * UNIT) * L <= n; v += 2 * UNIT) chains16(idx, nz, a, aOff, v * L, o, oo);
            for (; v + UNIT <= vEnd && (v + UNIT) * L <= n; v += UNIT) chains8(idx, nz, a, aOff, v * L, o, oo);
            for (; v < vEnd; v++) chains1(idx, nz, a, aOff, v * L, o, oo);
        });
        if (accumulate) {
            for (int j = 0; j < n; j++) c[cOff + j] = out[j] + c[cOff + j];
        }
        return true;
    }

    /** Columns [j0, j0 + 16L): sixteen chains side by side, each row a contiguous run of 16 vectors. */
    private void chains16(int[] idx, int nz, float[] a, int aOff, int j0, float[] c, int cOff) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, s5 = z, s6 = z, s7 = z;
        FloatVector s8 = z, s9 = z, s10 = z, s11 = z, s12 = z, s13 = z, s14 = z, s15 = z;
        float[] w = rows;
        for (int t = 0; t < nz; t++) {
            int i = idx[t];
            FloatVector x = FloatVector.broadcast(S, a[aOff + i]);
            int o = i * n + j0;
            s0 = x.fma(FloatVector.fromArray(S, w, o), s0); s1 = x.fma(FloatVector.fromArray(S, w, o + L), s1);
            s2 = x.fma(FloatVector.fromArray(S, w, o + 2 * L), s2); s3 = x.fma(FloatVector.fromArray(S, w, o + 3 * L), s3);
            s4 = x.fma(FloatVector.fromArray(S, w, o + 4 * L), s4); s5 = x.fma(FloatVector.fromArray(S, w, o + 5 * L), s5);
            s6 = x.fma(FloatVector.fromArray(S, w, o + 6 * L), s6); s7 = x.fma(FloatVector.fromArray(S, w, o + 7 * L), s7);
            s8 = x.fma(FloatVector.fromArray(S, w, o + 8 * L), s8); s9 = x.fma(FloatVector.fromArray(S, w, o + 9 * L), s9);
            s10 = x.fma(FloatVector.fromArray(S, w, o + 10 * L), s10); s11 = x.fma(FloatVector.fromArray(S, w, o + 11 * L), s11);
            s12 = x.fma(FloatVector.fromArray(S, w, o + 12 * L), s12); s13 = x.fma(FloatVector.fromArray(S, w, o + 13 * L), s13);
            s14 = x.fma(FloatVector.fromArray(S, w, o + 14 * L), s14); s15 = x.fma(FloatVector.fromArray(S, w, o + 15 * L), s15);
        }
        int d = cOff + j0;
        s0.intoArray(c, d); s1.intoArray(c, d + L); s2.intoArray(c, d + 2 * L); s3.intoArray(c, d + 3 * L);
        s4.intoArray(c, d + 4 * L); s5.intoArray(c, d + 5 * L); s6.intoArray(c, d + 6 * L); s7.intoArray(c, d + 7 * L);
        s8.intoArray(c, d + 8 * L); s9.intoArray(c, d + 9 * L); s10.intoArray(c, d + 10 * L); s11.intoArray(c, d + 11 * L);
        s12.intoArray(c, d + 12 * L); s13.intoArray(c, d + 13 * L); s14.intoArray(c, d + 14 * L); s15.intoArray(c, d + 15 * L);
    }

    /**
     * Columns [j0, j0 + 8L): eight chains, for a thread's range that is not a multiple of 16
     * vectors (PTT5-base's 768 columns on two threads: 16 + 8 each). Not used in place of
     * {@link #chains16}: two 8-vector passes read each row in two halves, and with half the inputs
     * zero that measured 84 µs against 75 per 2048×512 weight.
     */
    private void chains8(int[] idx, int nz, float[] a, int aOff, int j0, float[] c, int cOff) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, s5 = z, s6 = z, s7 = z;
        float[] w = rows;
        for (int t = 0; t < nz; t++) {
            int i = idx[t];
            FloatVector x = FloatVector.broadcast(S, a[aOff + i]);
            int o = i * n + j0;
            s0 = x.fma(FloatVector.fromArray(S, w, o), s0); s1 = x.fma(FloatVector.fromArray(S, w, o + L), s1);
            s2 = x.fma(FloatVector.fromArray(S, w, o + 2 * L), s2); s3 = x.fma(FloatVector.fromArray(S, w, o + 3 * L), s3);
            s4 = x.fma(FloatVector.fromArray(S, w, o + 4 * L), s4); s5 = x.fma(FloatVector.fromArray(S, w, o + 5 * L), s5);
            s6 = x.fma(FloatVector.fromArray(S, w, o + 6 * L), s6); s7 = x.fma(FloatVector.fromArray(S, w, o + 7 * L), s7);
        }
        int d = cOff + j0;
        s0.intoArray(c, d); s1.intoArray(c, d + L); s2.intoArray(c, d + 2 * L); s3.intoArray(c, d + 3 * L);
        s4.intoArray(c, d + 4 * L); s5.intoArray(c, d + 5 * L); s6.intoArray(c, d + 6 * L); s7.intoArray(c, d + 7 * L);
    }

    /** Columns [j0, min(n, j0 + L)): one chain per lane, masked at the last columns. */
    private void chains1(int[] idx, int nz, float[] a, int aOff, int j0, float[] c, int cOff) {
        VectorMask<Float> m = S.indexInRange(j0, n);
        FloatVector s = FloatVector.zero(S);
        for (int t = 0; t < nz; t++) {
            int i = idx[t];
            s = FloatVector.broadcast(S, a[aOff + i]).fma(FloatVector.fromArray(S, rows, i * n + j0, m), s);
        }
        s.intoArray(c, cOff + j0, m);
    }
}
