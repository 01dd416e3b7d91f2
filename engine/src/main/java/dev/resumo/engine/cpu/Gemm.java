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
 * per-thread buffers and spread over {@link Workers} ({@link GemmPlan}). Sums run in float with
 * FMAs, in blocks of {@link GemmPlan#KC} along K, so results differ from a double-precision
 * reference by a few ulps of sum |a||b|.
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
}
