package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM for a few rows of A (M ≤ {@link #MAX_M}; decoding one token per row): packing B would cost
 * more than the product, since each element of B is used only M times. B is read straight from
 * where it lies, and the work is split along N in groups of L columns (the bandwidth-bound part
 * of decoding: every step streams all the decoder weights and the lm_head once).
 *
 * <p>Lane sums go through {@link LaneTree}, a fixed order in every JIT tier and for every M, so runs
 * are reproducible and a row decoded alone gets the same bits as in a batch ({@link Gemm} sends
 * every A·Bᵀ of at most {@link #MAX_M} rows here, however small, for that reason).
 *
 * <p>Two layouts: B stored N×K (a Linear weight, {@code transB}): each C element is a vector dot
 * product of an A row with a B row; B stored K×N: C rows are sums of B rows scaled by A
 * elements, vectorised along N. A is stored M×K (not transposed). Same contract as {@link Gemm#gemm}.
 */
final class GemmSkinny {
    static final int MAX_M = 16;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Column pairs per group of L columns (the transB kernel reduces a group's L outputs together). */
    private static final int PAIRS = L / 2;
    /**
     * Up to this depth a four-column tile of B (4·k floats) stays in L1, and rows go two at a
     * time against it: the first pair streams B at full speed, the others read it from L1. Measured
     * on the lm_head shape (k = 512), two threads: 8 rows 3.4 ms this way, 3.9 ms one row at a time,
     * 4.2-4.8 ms with 4×4 register tiles (their many FMAs per B load stall the stream); at k = 2048
     * the 4×4 tiles win (0.21 vs 0.22-0.24 ms two at a time, 0.33 ms one at a time).
     */
    private static final int L1_TILE_MAX_K = 1024;
    /** Multiply-adds per parallel chunk: below this a chunk costs less than handing it to a worker. */
    private static final int CHUNK_MACS = 1 << 15;

    private GemmSkinny() {}

    static void gemm(boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                     float[] c, int cOff, boolean accumulate) {
        int grain = Math.max(1, CHUNK_MACS / Math.max(1, m * k));
        if (transB) {
            int groups = (n + L - 1) / L;
            int groupGrain = Math.max(1, grain / L);
            Workers.parallelFor(groups, groupGrain, (g0, g1) -> dotGroups(m, n, k, a, aOff, b, bOff, c, cOff, accumulate, g0, g1));
        } else {
            grain = Math.max(L, (grain + L - 1) / L * L);
            int blocks = (n + L - 1) / L;
            int blockGrain = grain / L;
            Workers.parallelFor(blocks, blockGrain, (q0, q1) -> scaledRows(m, n, k, a, aOff, b, bOff, c, cOff, accumulate,
                    q0 * L, Math.min(n, q1 * L)));
        }
    }

    /**
     * C[i][j] = A[i]·B[j] for the column groups [g0, g1) (group g: columns g·L .. g·L+L-1), B stored
     * N×K. Each output keeps one accumulator vector over K (lane l sums p ≡ l mod L in order, a
     * masked tail last), reduced by {@link LaneTree}: every register tile ends with tree step 0 over
     * its column pairs, and {@link #finish} runs the other steps for a row's whole group. Groups
     * start at multiples of L whatever the thread split, and a row's sums never meet another row's,
     * so every element gets the same bits for any M.
     *
     * <p>Rows go two at a time against four B rows (the last odd row alone), or, for a deep K, four
     * at a time against four first (see {@link #L1_TILE_MAX_K}; eight rows against two B rows
     * measured slower than both).
     * The per-element work sits in small methods so C2 inlines the vector operations (one large
     * method made it fall back to the boxed Vector API, 5x slower).
     */
    private static void dotGroups(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                                  boolean accumulate, int g0, int g1) {
        float[] part = new float[m * PAIRS * L]; // per row and column pair: the vector after tree step 0
        float[] acc = new float[16 * L];           // a tile's sixteen accumulators
        int kv = S.loopBound(k);
        int last = bOff + (n - 1) * k;             // columns past n reuse the last B row, then are not stored
        for (int g = g0; g < g1; g++) {
            int j0 = g * L;
            int i = 0;
            for (; k > L1_TILE_MAX_K && i + 4 <= m; i += 4) {
                for (int t = 0; t < PAIRS; t += 2) {
                    int b0 = Math.min(bOff + (j0 + 2 * t) * k, last), b1 = Math.min(b0 + k, last);
                    int b2 = Math.min(b1 + k, last), b3 = Math.min(b2 + k, last);
                    tile4x4(kv, k, a, aOff + i * k, b, b0, b1, b2, b3, acc);
                    for (int r = 0; r < 4; r++) {
                        int at = ((i + r) * PAIRS + t) * L, row = aOff + (i + r) * k;
                        tailPair(kv, k, a, row, b, b0, b1, acc, 4 * r * L, part, at);
                        tailPair(kv, k, a, row, b, b2, b3, acc, (4 * r + 2) * L, part, at + L);
                    }
                }
            }
            for (; i + 2 <= m; i += 2) {
                for (int t = 0; t < PAIRS; t += 2) {
                    int b0 = Math.min(bOff + (j0 + 2 * t) * k, last), b1 = Math.min(b0 + k, last);
                    int b2 = Math.min(b1 + k, last), b3 = Math.min(b2 + k, last);
                    tile2x4(kv, k, a, aOff + i * k, b, b0, b1, b2, b3, part, (i * PAIRS + t) * L, PAIRS * L);
                }
            }
            for (; i < m; i++) {
                for (int t = 0; t < PAIRS; t += 2) {
                    int b0 = Math.min(bOff + (j0 + 2 * t) * k, last), b1 = Math.min(b0 + k, last);
                    int b2 = Math.min(b1 + k, last), b3 = Math.min(b2 + k, last);
                    tile1x4(kv, k, a, aOff + i * k, b, b0, b1, b2, b3, part, (i * PAIRS + t) * L);
                }
            }
            for (i = 0; i < m; i++) finish(part, i * PAIRS * L, c, cOff + i * n + j0, Math.min(L, n - j0), accumulate);
        }
    }

    /**
     * Four rows of A (k apart from a0) against four rows of B over the vector part of K; the
     * accumulators go to acc (row r, column t at (4r + t)·L) for {@link #tailPair}. Kept to the loop
     * alone: with the tree step inlined (even without a K tail), C2 ran out of its node budget and
     * boxed the vectors, 3x slower.
     */
    private static void tile4x4(int kv, int k, float[] a, int a0, float[] b, int b0, int b1, int b2, int b3,
                                float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z;
        FloatVector s20 = z, s21 = z, s22 = z, s23 = z, s30 = z, s31 = z, s32 = z, s33 = z;
        for (int p = 0; p < kv; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p), y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p), y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a0 + k + p);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a0 + 2 * k + p);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a0 + 3 * k + p);
            s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32); s33 = x.fma(y3, s33);
        }
        s00.intoArray(acc, 0); s01.intoArray(acc, L); s02.intoArray(acc, 2 * L); s03.intoArray(acc, 3 * L);
        s10.intoArray(acc, 4 * L); s11.intoArray(acc, 5 * L); s12.intoArray(acc, 6 * L); s13.intoArray(acc, 7 * L);
        s20.intoArray(acc, 8 * L); s21.intoArray(acc, 9 * L); s22.intoArray(acc, 10 * L); s23.intoArray(acc, 11 * L);
        s30.intoArray(acc, 12 * L); s31.intoArray(acc, 13 * L); s32.intoArray(acc, 14 * L); s33.intoArray(acc, 15 * L);
    }

    /**
     * Two accumulators of one A row (at acc[o], acc[o + L], against B rows b0 and b1): the masked K
     * tail [kv, k), then tree step 0 into part[at].
     */
    private static void tailPair(int kv, int k, float[] a, int a0, float[] b, int b0, int b1, float[] acc, int o,
                                 float[] part, int at) {
        FloatVector s0 = FloatVector.fromArray(S, acc, o), s1 = FloatVector.fromArray(S, acc, o + L);
        if (kv < k) {
            VectorMask<Float> tail = S.indexInRange(kv, k);
            FloatVector x = FloatVector.fromArray(S, a, a0 + kv, tail);
            s0 = x.fma(FloatVector.fromArray(S, b, b0 + kv, tail), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, b1 + kv, tail), s1);
        }
        LaneTree.first(s0, s1).intoArray(part, at);
    }

    /**
     * Two rows of A (k apart from a0) against four rows of B, K tail included, tree step 0 into
     * part (row 0 at at, row 1 at at + rowStride; pairs L apart): 6 loads per 8 FMAs where
     * {@link #tile1x4} needs 5 per 4.
     */
    private static void tile2x4(int kv, int k, float[] a, int a0, float[] b, int b0, int b1, int b2, int b3,
                                float[] part, int at, int rowStride) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
        int p = 0;
        for (; p < kv; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p), y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p), y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s0 = x.fma(y0, s0); s1 = x.fma(y1, s1); s2 = x.fma(y2, s2); s3 = x.fma(y3, s3);
            x = FloatVector.fromArray(S, a, a0 + k + p);
            t0 = x.fma(y0, t0); t1 = x.fma(y1, t1); t2 = x.fma(y2, t2); t3 = x.fma(y3, t3);
        }
        if (p < k) {
            VectorMask<Float> tail = S.indexInRange(p, k);
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p, tail), y1 = FloatVector.fromArray(S, b, b1 + p, tail);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p, tail), y3 = FloatVector.fromArray(S, b, b3 + p, tail);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p, tail);
            s0 = x.fma(y0, s0); s1 = x.fma(y1, s1); s2 = x.fma(y2, s2); s3 = x.fma(y3, s3);
            x = FloatVector.fromArray(S, a, a0 + k + p, tail);
            t0 = x.fma(y0, t0); t1 = x.fma(y1, t1); t2 = x.fma(y2, t2); t3 = x.fma(y3, t3);
        }
        LaneTree.first(s0, s1).intoArray(part, at);
        LaneTree.first(s2, s3).intoArray(part, at + L);
        LaneTree.first(t0, t1).intoArray(part, at + rowStride);
        LaneTree.first(t2, t3).intoArray(part, at + rowStride + L);
    }

    /** One row of A against four rows of B (a single sequence: B streams, A stays in L1), tail and step 0 included. */
    private static void tile1x4(int kv, int k, float[] a, int a0, float[] b, int b0, int b1, int b2, int b3,
                                float[] part, int at) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (; p < kv; p += L) {
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s0 = x.fma(FloatVector.fromArray(S, b, b0 + p), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, b1 + p), s1);
            s2 = x.fma(FloatVector.fromArray(S, b, b2 + p), s2);
            s3 = x.fma(FloatVector.fromArray(S, b, b3 + p), s3);
        }
        if (p < k) {
            VectorMask<Float> tail = S.indexInRange(p, k);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p, tail);
            s0 = x.fma(FloatVector.fromArray(S, b, b0 + p, tail), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, b1 + p, tail), s1);
            s2 = x.fma(FloatVector.fromArray(S, b, b2 + p, tail), s2);
            s3 = x.fma(FloatVector.fromArray(S, b, b3 + p, tail), s3);
        }
        LaneTree.first(s0, s1).intoArray(part, at);
        LaneTree.first(s2, s3).intoArray(part, at + L);
    }

    /** Tree steps 1.. over one row's column-pair vectors (in place in part), then the store of its group. */
    private static void finish(float[] part, int at, float[] c, int c0, int columns, boolean accumulate) {
        LaneTree.finishPairs(part, at);
        FloatVector v = FloatVector.fromArray(S, part, at);
        if (columns == L) {
            put(v, c, c0, accumulate);
            return;
        }
        VectorMask<Float> mask = S.indexInRange(0, columns);
        if (accumulate) v = v.add(FloatVector.fromArray(S, c, c0, mask));
        v.intoArray(c, c0, mask);
    }

    /** C[i][j0..j1) = Σ_p A[i][p]·B[p][j0..j1), B stored K×N. */
    private static void scaledRows(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                                   boolean accumulate, int j0, int j1) {
        int jv = j0 + S.loopBound(j1 - j0);
        for (int i = 0; i < m; i += 4) {
            int rows = Math.min(4, m - i);
            int a0 = aOff + i * k;
            int j = j0;
            for (; j < jv; j += L) {
                FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                if (rows == 4) {
                    for (int p = 0; p < k; p++) {
                        FloatVector bv = FloatVector.fromArray(S, b, bOff + p * n + j);
                        s0 = bv.fma(FloatVector.broadcast(S, a[a0 + p]), s0);
                        s1 = bv.fma(FloatVector.broadcast(S, a[a0 + k + p]), s1);
                        s2 = bv.fma(FloatVector.broadcast(S, a[a0 + 2 * k + p]), s2);
                        s3 = bv.fma(FloatVector.broadcast(S, a[a0 + 3 * k + p]), s3);
                    }
                } else {
                    for (int p = 0; p < k; p++) {
                        FloatVector bv = FloatVector.fromArray(S, b, bOff + p * n + j);
                        s0 = bv.fma(FloatVector.broadcast(S, a[a0 + p]), s0);
                        if (rows > 1) s1 = bv.fma(FloatVector.broadcast(S, a[a0 + k + p]), s1);
                        if (rows > 2) s2 = bv.fma(FloatVector.broadcast(S, a[a0 + 2 * k + p]), s2);
                    }
                }
                int co = cOff + i * n + j;
                put(s0, c, co, accumulate);
                if (rows > 1) put(s1, c, co + n, accumulate);
                if (rows > 2) put(s2, c, co + 2 * n, accumulate);
                if (rows > 3) put(s3, c, co + 3 * n, accumulate);
            }
            for (; j < j1; j++) {
                for (int r = 0; r < rows; r++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) s = Math.fma(a[a0 + r * k + p], b[bOff + p * n + j], s);
                    store(c, cOff + (i + r) * n + j, s, accumulate);
                }
            }
        }
    }

    private static void put(FloatVector v, float[] c, int at, boolean accumulate) {
        (accumulate ? v.add(FloatVector.fromArray(S, c, at)) : v).intoArray(c, at);
    }

    private static void store(float[] c, int at, float v, boolean accumulate) {
        c[at] = accumulate ? c[at] + v : v;
    }
}
