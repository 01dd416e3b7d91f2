package dev.resumo.engine.cpu;

/**
 * Single-precision GEMM on row-major arrays: C = op(A) · op(B) (+ C when accumulating).
 *
 * <p>op(A) is M×K: A is stored M×K (lda = K) or, when {@code transA}, K×M (lda = M).
 * op(B) is K×N: B is stored K×N (ldb = N) or, when {@code transB}, N×K (ldb = K).
 * C is M×N with ldc = N. These three layouts (A·B, A·Bᵀ, Aᵀ·B) are what training needs.
 *
 * <p>PLACEHOLDER: a plain loop so that the rest of the engine can be written against this
 * signature; the Vector API kernel with register tiles and cache blocking replaces it.
 */
public final class Gemm {
    private Gemm() {}

    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, float[] b, int bOff,
                            float[] c, int cOff, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = accumulate ? c[cOff + i * n + j] : 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += av * bv;
                }
                c[cOff + i * n + j] = s;
            }
        }
    }
}
