package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM for a few rows of A (M ≤ {@link #MAX_M}; decoding one token per row): packing B would cost
 * more than the product, since each element of B is used only M times. B is streamed once per
 * group of four A rows, straight from where it lies, and the work is split along N.
 *
 * <p>Lane sums go through {@link FixedOrderSum} (fixed order in every JIT tier, so runs are reproducible).
 *
 * <p>Two layouts: B stored N×K (a Linear weight, {@code transB}): each C element is a vector dot
 * product of an A row with a B row; B stored K×N: C rows are sums of B rows scaled by A
 * elements, vectorised along N. A is stored M×K (not transposed). Same contract as {@link Gemm#gemm}.
 */
final class GemmSkinny {
    static final int MAX_M = 16;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Multiply-adds per parallel chunk: below this a chunk costs less than handing it to a worker. */
    private static final int CHUNK_MACS = 1 << 15;

    private GemmSkinny() {}

    static void gemm(boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                     float[] c, int cOff, boolean accumulate) {
        int grain = Math.max(1, CHUNK_MACS / Math.max(1, m * k));
        if (transB) {
            Workers.parallelFor(n, grain, (j0, j1) -> dotRows(m, n, k, a, aOff, b, bOff, c, cOff, accumulate, j0, j1));
        } else {
            grain = Math.max(L, (grain + L - 1) / L * L);
            int blocks = (n + L - 1) / L;
            int blockGrain = grain / L;
            Workers.parallelFor(blocks, blockGrain, (q0, q1) -> scaledRows(m, n, k, a, aOff, b, bOff, c, cOff, accumulate,
                    q0 * L, Math.min(n, q1 * L)));
        }
    }

    /**
     * C[i][j] = A[i]·B[j] for j in [j0, j1), B stored N×K. The per-element work sits in small
     * methods so C2 inlines the vector operations (one large method made it fall back to the
     * boxed Vector API, 5x slower).
     */
    private static void dotRows(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                                boolean accumulate, int j0, int j1) {
        int j = j0;
        if (m >= 4) { // two B rows per pass: 6 loads per 8 FMAs instead of 5 per 4
            for (; j + 2 <= j1; j += 2) {
                int bRow = bOff + j * k;
                int i = 0;
                for (; i + 4 <= m; i += 4) dot4x2(k, a, aOff + i * k, b, bRow, c, cOff + i * n + j, n, accumulate);
                for (; i < m; i++) {
                    store(c, cOff + i * n + j, dot1(k, a, aOff + i * k, b, bRow), accumulate);
                    store(c, cOff + i * n + j + 1, dot1(k, a, aOff + i * k, b, bRow + k), accumulate);
                }
            }
        }
        for (; j < j1; j++) {
            int bRow = bOff + j * k;
            int i = 0;
            for (; i + 4 <= m; i += 4) dot4(k, a, aOff + i * k, b, bRow, c, cOff + i * n + j, n, accumulate);
            for (; i < m; i++) store(c, cOff + i * n + j, dot1(k, a, aOff + i * k, b, bRow), accumulate);
        }
    }

    /** Four rows of A (k apart from a0) against one row of B; results n apart from c0. */
    private static void dot4(int k, float[] a, int a0, float[] b, int bRow, float[] c, int c0, int n, boolean accumulate) {
        int kv = S.loopBound(k);
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (; p < kv; p += L) {
            FloatVector bv = FloatVector.fromArray(S, b, bRow + p);
            s0 = FloatVector.fromArray(S, a, a0 + p).fma(bv, s0);
            s1 = FloatVector.fromArray(S, a, a0 + k + p).fma(bv, s1);
            s2 = FloatVector.fromArray(S, a, a0 + 2 * k + p).fma(bv, s2);
            s3 = FloatVector.fromArray(S, a, a0 + 3 * k + p).fma(bv, s3);
        }
        float d0 = FixedOrderSum.sum(s0), d1 = FixedOrderSum.sum(s1);
        float d2 = FixedOrderSum.sum(s2), d3 = FixedOrderSum.sum(s3);
        for (; p < k; p++) {
            float bp = b[bRow + p];
            d0 = Math.fma(a[a0 + p], bp, d0);
            d1 = Math.fma(a[a0 + k + p], bp, d1);
            d2 = Math.fma(a[a0 + 2 * k + p], bp, d2);
            d3 = Math.fma(a[a0 + 3 * k + p], bp, d3);
        }
        store(c, c0, d0, accumulate);
        store(c, c0 + n, d1, accumulate);
        store(c, c0 + 2 * n, d2, accumulate);
        store(c, c0 + 3 * n, d3, accumulate);
    }

    /** Four rows of A against two consecutive rows of B (results j and j + 1). */
    private static void dot4x2(int k, float[] a, int a0, float[] b, int bRow, float[] c, int c0, int n,
                               boolean accumulate) {
        int kv = S.loopBound(k);
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
        int p = 0;
        for (; p < kv; p += L) {
            FloatVector bv = FloatVector.fromArray(S, b, bRow + p);
            FloatVector bw = FloatVector.fromArray(S, b, bRow + k + p);
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a0 + k + p);
            FloatVector x2 = FloatVector.fromArray(S, a, a0 + 2 * k + p);
            FloatVector x3 = FloatVector.fromArray(S, a, a0 + 3 * k + p);
            s0 = x0.fma(bv, s0);
            t0 = x0.fma(bw, t0);
            s1 = x1.fma(bv, s1);
            t1 = x1.fma(bw, t1);
            s2 = x2.fma(bv, s2);
            t2 = x2.fma(bw, t2);
            s3 = x3.fma(bv, s3);
            t3 = x3.fma(bw, t3);
        }
        float d0 = FixedOrderSum.sum(s0), d1 = FixedOrderSum.sum(s1);
        float d2 = FixedOrderSum.sum(s2), d3 = FixedOrderSum.sum(s3);
        float e0 = FixedOrderSum.sum(t0), e1 = FixedOrderSum.sum(t1);
        float e2 = FixedOrderSum.sum(t2), e3 = FixedOrderSum.sum(t3);
        for (; p < k; p++) {
            float bp = b[bRow + p], bq = b[bRow + k + p];
            d0 = Math.fma(a[a0 + p], bp, d0);
            d1 = Math.fma(a[a0 + k + p], bp, d1);
            d2 = Math.fma(a[a0 + 2 * k + p], bp, d2);
            d3 = Math.fma(a[a0 + 3 * k + p], bp, d3);
            e0 = Math.fma(a[a0 + p], bq, e0);
            e1 = Math.fma(a[a0 + k + p], bq, e1);
            e2 = Math.fma(a[a0 + 2 * k + p], bq, e2);
            e3 = Math.fma(a[a0 + 3 * k + p], bq, e3);
        }
        store(c, c0, d0, accumulate);
        store(c, c0 + n, d1, accumulate);
        store(c, c0 + 2 * n, d2, accumulate);
        store(c, c0 + 3 * n, d3, accumulate);
        store(c, c0 + 1, e0, accumulate);
        store(c, c0 + n + 1, e1, accumulate);
        store(c, c0 + 2 * n + 1, e2, accumulate);
        store(c, c0 + 3 * n + 1, e3, accumulate);
    }

    /** One row of A against one row of B. */
    private static float dot1(int k, float[] a, int a0, float[] b, int bRow) {
        int kv = S.loopBound(k);
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        int p = 0;
        for (; p + 2 * L <= kv; p += 2 * L) {
            s0 = FloatVector.fromArray(S, a, a0 + p).fma(FloatVector.fromArray(S, b, bRow + p), s0);
            s1 = FloatVector.fromArray(S, a, a0 + p + L).fma(FloatVector.fromArray(S, b, bRow + p + L), s1);
        }
        for (; p < kv; p += L) {
            s0 = FloatVector.fromArray(S, a, a0 + p).fma(FloatVector.fromArray(S, b, bRow + p), s0);
        }
        float d = FixedOrderSum.sum(s0.add(s1));
        for (; p < k; p++) d = Math.fma(a[a0 + p], b[bRow + p], d);
        return d;
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
