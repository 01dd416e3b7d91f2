package dev.resumo.engine.cpu;

import java.util.Arrays;
import java.util.Objects;

/**
 * Single-precision GEMM on row-major arrays: C = op(A) · op(B) (+ C when accumulating).
 *
 * <p>op(A) is M×K: A is stored M×K (lda = K) or, when {@code transA}, K×M (lda = M).
 * op(B) is K×N: B is stored K×N (ldb = N) or, when {@code transB}, N×K (ldb = K).
 * C is M×N with ldc = N. The three layouts training needs (A·B, A·Bᵀ, Aᵀ·B) and Aᵀ·Bᵀ are all
 * handled by packing, so one register-tile kernel ({@link GemmMicroKernel}) does the arithmetic.
 *
 * <p>Small products take a plain loop ({@link GemmSmall}); the rest are cache-blocked, packed into
 * per-thread buffers and spread over {@link Workers} ({@link GemmPlan}). There every element of C
 * is one float FMA chain over k = 0..K-1, from zero (or from C's value when accumulating),
 * whatever the cache blocking, tile or thread split: the kernel carries its accumulators from
 * one depth block to the next through C. Results differ from a double-precision reference by a
 * few ulps of sum |a||b|.
 */
public final class Gemm {
    /** Products with at most this many multiply-adds are not worth packing. */
    static final long SMALL_MACS = 16 * 16 * 16;

    private Gemm() {}

    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, float[] b, int bOff,
                            float[] c, int cOff, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        Objects.checkFromIndexSize(aOff, m * k, a.length);
        Objects.checkFromIndexSize(bOff, k * n, b.length);
        Objects.checkFromIndexSize(cOff, m * n, c.length);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        if (!transA && transB && m <= GemmSkinny.MAX_M) {
            // Before the small-product test: a decode row must get the same bits alone and in a
            // batch, and GemmSmall sums in another order than GemmSkinny's lane tree.
            GemmSkinny.gemm(true, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
            return;
        }
        if ((long) m * n * k <= SMALL_MACS) {
            GemmSmall.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
            return;
        }
        if (!transA && m <= GemmSkinny.MAX_M) {
            GemmSkinny.gemm(transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
            return;
        }
        GemmScratch.mine().plan.run(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
    }

    /**
     * {@link #gemm} on operands with row strides: A's stored rows lda apart (M×K, or K×M when
     * transA), B's ldb apart (K×N, or N×K when transB), C's ldc apart — e.g. one head's block of
     * a [rows, heads·d] activation, multiplied in place instead of gathered into a copy first
     * (the packing copies it anyway). Products worth packing go through the cache-blocked path;
     * smaller ones are gathered into compact arrays and sent to {@link #gemm}.
     */
    public static void gemmStrided(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                                   float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        checkStrided("A", a, aOff, aRows, aCols, lda);
        checkStrided("B", b, bOff, bRows, bCols, ldb);
        checkStrided("C", c, cOff, m, n, ldc);
        if (m == 0 || n == 0) return;
        if ((long) m * n * k <= SMALL_MACS || m <= GemmSkinny.MAX_M || k == 0) {
            float[] ca = compact(a, aOff, aRows, aCols, lda), cb = compact(b, bOff, bRows, bCols, ldb);
            float[] cc = accumulate ? compact(c, cOff, m, n, ldc) : new float[m * n];
            gemm(transA, transB, m, n, k, ca, 0, cb, 0, cc, 0, accumulate);
            for (int i = 0; i < m; i++) System.arraycopy(cc, i * n, c, cOff + i * ldc, n);
            return;
        }
        GemmScratch.mine().plan.run(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    private static void checkStrided(String name, float[] x, int off, int rows, int cols, int ld) {
        if (ld < cols) throw new IllegalArgumentException("gemm: " + name + " row stride " + ld + " < its " + cols + " columns");
        if (rows > 0 && cols > 0) Objects.checkFromIndexSize(off, (long) (rows - 1) * ld + cols > Integer.MAX_VALUE
                ? Integer.MAX_VALUE : (rows - 1) * ld + cols, x.length);
    }

    private static float[] compact(float[] x, int off, int rows, int cols, int ld) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) System.arraycopy(x, off + r * ld, out, r * cols, cols);
        return out;
    }
}
