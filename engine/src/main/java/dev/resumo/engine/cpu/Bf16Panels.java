package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = A·Ŵᵀ for a few rows of A against Ŵ, a bfloat16 copy of a weight W [N×K], in the panel
 * layout of {@link GemmPanels} at half the bytes: panel pair q (columns 2q·L .. 2q·L+2L-1) holds,
 * per k-step p, L ints; int j carries column 2q·L+j in its low 16 bits and column 2q·L+L+j in its
 * high 16 bits. A bfloat16 is the top half of a float, so one int vector yields both panels' float
 * vectors with one shift and one mask — no conversion instruction, and the stream the product
 * reads is half as long. (At one row the product is bound by that stream; at eight rows by its
 * instructions about as much.)
 *
 * <p>For {@link ScreenedLogits} only: the results are approximations of A·Wᵀ with a known error
 * bound, never used as logits themselves. Each output is a sum of K products with at most K + 2
 * rounded operations on any path (FMA chains, split in four for one row, then added), which is
 * what the bound assumes.
 */
final class Bf16Panels {
    static final VectorSpecies<Float> S = GemmPanels.S;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Ints read ahead of the stream per k-step, as {@link GemmPanels#TOUCH} (same bytes ahead). */
    static final int TOUCH = GemmPanels.TOUCH / 2;
    private static final int CHUNK_MACS = 1 << 15;
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[8 * 2 * L]);

    private Bf16Panels() {}

    static int pairs(int n) {
        return GemmPanels.pairs(n);
    }

    static int packedLength(int n, int k) {
        return Math.addExact(Math.multiplyExact(pairs(n) * L, k), TOUCH);
    }

    /** Float bits rounded to the nearest bfloat16 (ties to even); the caller rejects non-finite values. */
    static int toBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        return (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16;
    }

    /** The float a bfloat16 stands for. */
    static float fromBf16(int bf16) {
        return Float.intBitsToFloat(bf16 << 16);
    }

    /** Packs W [n×k] (row-major at wOff); columns past n stay zero. */
    static void pack(float[] w, int wOff, int n, int k, int[] out) {
        Workers.parallelFor(pairs(n), Math.max(1, (1 << 16) / Math.max(1, k * L)), (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int base = q * k * L;
                int lowCol = 2 * q * L, highCol = lowCol + L;
                for (int j = 0; j < L; j++) {
                    boolean low = lowCol + j < n, high = highCol + j < n;
                    int lo = wOff + (lowCol + j) * k, hi = wOff + (highCol + j) * k;
                    for (int p = 0; p < k; p++) {
                        int v = low ? toBf16(w[lo + p]) : 0;
                        if (high) v |= toBf16(w[hi + p]) << 16;
                        out[base + p * L + j] = v;
                    }
                }
            }
        });
    }

    /** C[m×n] = A[m×k] · Ŵᵀ with Ŵ packed by {@link #pack}. */
    static void multiply(int m, int n, int k, float[] a, int aOff, int[] panels, float[] c, int cOff) {
        int grain = Math.max(1, CHUNK_MACS / Math.max(1, m * k * 2 * L));
        float[] a8 = interleaveEights(m, k, a, aOff);
        Workers.parallelFor(pairs(n), grain, (q0, q1) -> {
            float[] acc = TILE.get();
            for (int q = q0; q < q1; q++) {
                int b0 = q * k * L;
                int j0 = 2 * q * L;
                for (int i = 0; i < m; ) {
                    int rows = m - i >= 8 ? 8 : m - i >= 4 ? 4 : m - i >= 2 ? 2 : 1;
                    int a0 = aOff + i * k;
                    switch (rows) {
                        case 8 -> tile8(k, a8, i * k, panels, b0, acc);
                        case 4 -> tile4(k, a, a0, panels, b0, acc);
                        case 2 -> tile2(k, a, a0, panels, b0, acc);
                        default -> tile1(k, a, a0, panels, b0, acc);
                    }
                    int columns = Math.min(2 * L, n - j0);
                    for (int r = 0; r < rows; r++) System.arraycopy(acc, r * 2 * L, c, cOff + (i + r) * n + j0, columns);
                    i += rows;
                }
            }
        });
    }

    /** Per caller thread: A's groups of eight rows interleaved for {@link #tile8}. */
    private static final ThreadLocal<float[][]> EIGHTS = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * Each full group of eight rows of A [m×k] as k steps of eight values (group g at g·8·k, step p
     * at +8p): tile8 then reads its eight broadcasts at one index and constant offsets. Read from
     * eight rows k apart, C2 kept the row offsets in vector registers and on the stack and spent
     * about ten scalar instructions per step moving them back (objdump of its code), which bound
     * the eight-row product by instructions rather than by the stream.
     */
    private static float[] interleaveEights(int m, int k, float[] a, int aOff) {
        int groups = m / 8;
        if (groups == 0) return null;
        float[][] holder = EIGHTS.get();
        if (holder[0].length < groups * 8 * k) holder[0] = new float[groups * 8 * k];
        float[] out = holder[0];
        for (int g = 0; g < groups; g++) {
            for (int r = 0; r < 8; r++) {
                int src = aOff + (8 * g + r) * k, dst = g * 8 * k + r;
                for (int p = 0; p < k; p++, dst += 8) out[dst] = a[src + p];
            }
        }
        return out;
    }

    private static FloatVector low(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static FloatVector high(IntVector v) {
        return v.and(0xFFFF0000).reinterpretAsFloats();
    }

    // The tiles: R rows (k apart from a0) against the panel pair at b0, as GemmPanels' tiles (each
    // only its loop and stores, so C2 keeps the accumulators in registers).

    /** Eight rows from {@link #interleaveEights}' layout (a0: the group's start, 8 values per step). */
    private static void tile8(int k, float[] a, int a0, int[] b, int b0, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s10 = z, s11 = z, s20 = z, s21 = z, s30 = z, s31 = z;
        FloatVector s40 = z, s41 = z, s50 = z, s51 = z, s60 = z, s61 = z, s70 = z, s71 = z;
        int sink = 0;
        for (int ai = a0, bi = b0, aEnd = a0 + 8 * k; ai < aEnd; ai += 8, bi += L) {
            sink ^= b[bi + TOUCH];
            IntVector v = IntVector.fromArray(I, b, bi);
            FloatVector y0 = low(v), y1 = high(v);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01);
            x = FloatVector.broadcast(S, a[ai + 1]); s10 = x.fma(y0, s10); s11 = x.fma(y1, s11);
            x = FloatVector.broadcast(S, a[ai + 2]); s20 = x.fma(y0, s20); s21 = x.fma(y1, s21);
            x = FloatVector.broadcast(S, a[ai + 3]); s30 = x.fma(y0, s30); s31 = x.fma(y1, s31);
            x = FloatVector.broadcast(S, a[ai + 4]); s40 = x.fma(y0, s40); s41 = x.fma(y1, s41);
            x = FloatVector.broadcast(S, a[ai + 5]); s50 = x.fma(y0, s50); s51 = x.fma(y1, s51);
            x = FloatVector.broadcast(S, a[ai + 6]); s60 = x.fma(y0, s60); s61 = x.fma(y1, s61);
            x = FloatVector.broadcast(S, a[ai + 7]); s70 = x.fma(y0, s70); s71 = x.fma(y1, s71);
        }
        touched(sink);
        s00.intoArray(acc, 0); s01.intoArray(acc, L); s10.intoArray(acc, 2 * L); s11.intoArray(acc, 3 * L);
        s20.intoArray(acc, 4 * L); s21.intoArray(acc, 5 * L); s30.intoArray(acc, 6 * L); s31.intoArray(acc, 7 * L);
        s40.intoArray(acc, 8 * L); s41.intoArray(acc, 9 * L); s50.intoArray(acc, 10 * L); s51.intoArray(acc, 11 * L);
        s60.intoArray(acc, 12 * L); s61.intoArray(acc, 13 * L); s70.intoArray(acc, 14 * L); s71.intoArray(acc, 15 * L);
    }

    private static void tile4(int k, float[] a, int a0, int[] b, int b0, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s10 = z, s11 = z, s20 = z, s21 = z, s30 = z, s31 = z;
        int sink = 0;
        for (int p = 0; p < k; p++) {
            int o = b0 + p * L;
            sink ^= b[o + TOUCH];
            IntVector v = IntVector.fromArray(I, b, o);
            FloatVector y0 = low(v), y1 = high(v);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01);
            x = FloatVector.broadcast(S, a[a0 + k + p]); s10 = x.fma(y0, s10); s11 = x.fma(y1, s11);
            x = FloatVector.broadcast(S, a[a0 + 2 * k + p]); s20 = x.fma(y0, s20); s21 = x.fma(y1, s21);
            x = FloatVector.broadcast(S, a[a0 + 3 * k + p]); s30 = x.fma(y0, s30); s31 = x.fma(y1, s31);
        }
        touched(sink);
        s00.intoArray(acc, 0); s01.intoArray(acc, L); s10.intoArray(acc, 2 * L); s11.intoArray(acc, 3 * L);
        s20.intoArray(acc, 4 * L); s21.intoArray(acc, 5 * L); s30.intoArray(acc, 6 * L); s31.intoArray(acc, 7 * L);
    }

    private static void tile2(int k, float[] a, int a0, int[] b, int b0, float[] acc) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
        for (int p = 0; p < k; p++) {
            IntVector v = IntVector.fromArray(I, b, b0 + p * L);
            FloatVector y0 = low(v), y1 = high(v);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01);
            x = FloatVector.broadcast(S, a[a0 + k + p]); s10 = x.fma(y0, s10); s11 = x.fma(y1, s11);
        }
        s00.intoArray(acc, 0); s01.intoArray(acc, L); s10.intoArray(acc, 2 * L); s11.intoArray(acc, 3 * L);
    }

    /**
     * One row: bound by the stream, not the FMAs. The depth is walked as four quarters at once
     * (four sequential streams, eight independent chains, added at the end): with one stream the
     * bfloat16 pair read at about the rate of a float32 panel pair's two streams — half the bytes,
     * barely faster. The sums are in a different order than one chain, which the bound allows
     * (at most K + 2 rounded operations on any path of an output's sum, in any order).
     */
    private static void tile1(int k, float[] a, int a0, int[] b, int b0, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s0 = z, s1 = z, t0 = z, t1 = z, u0 = z, u1 = z, w0 = z, w1 = z;
        int q = k >> 2;
        for (int p = 0; p < q; p++) {
            IntVector v0 = IntVector.fromArray(I, b, b0 + p * L);
            IntVector v1 = IntVector.fromArray(I, b, b0 + (q + p) * L);
            IntVector v2 = IntVector.fromArray(I, b, b0 + (2 * q + p) * L);
            IntVector v3 = IntVector.fromArray(I, b, b0 + (3 * q + p) * L);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]), x1 = FloatVector.broadcast(S, a[a0 + q + p]);
            FloatVector x2 = FloatVector.broadcast(S, a[a0 + 2 * q + p]), x3 = FloatVector.broadcast(S, a[a0 + 3 * q + p]);
            s0 = x0.fma(low(v0), s0); s1 = x0.fma(high(v0), s1);
            t0 = x1.fma(low(v1), t0); t1 = x1.fma(high(v1), t1);
            u0 = x2.fma(low(v2), u0); u1 = x2.fma(high(v2), u1);
            w0 = x3.fma(low(v3), w0); w1 = x3.fma(high(v3), w1);
        }
        for (int p = 4 * q; p < k; p++) {
            IntVector v = IntVector.fromArray(I, b, b0 + p * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            s0 = x.fma(low(v), s0); s1 = x.fma(high(v), s1);
        }
        s0.add(t0).add(u0.add(w0)).intoArray(acc, 0);
        s1.add(t1).add(u1.add(w1)).intoArray(acc, L);
    }

    @SuppressWarnings("unused")
    private static volatile int touchSink;

    private static void touched(int sink) {
        if (sink == 0x7fc00001) touchSink = sink; // practically never true; the test keeps the loads
    }
}
