package dev.resumo.engine.cpu;

/**
 * GEMM for products too small to pay for packing: a dot product per element of C, reading op(A)
 * and op(B) in place. Same contract as {@link Gemm#gemm}.
 */
final class GemmSmall {
    private GemmSmall() {}

    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                     float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        // Strides of op(A)[i][p] and op(B)[p][j] along i, p and j, whichever way they are stored.
        int aRow = transA ? 1 : k;
        int aStep = transA ? m : 1;
        int bStep = transB ? 1 : n;
        int bCol = transB ? k : 1;
        for (int i = 0; i < m; i++) {
            int crow = cOff + i * n;
            for (int j = 0; j < n; j++) {
                float s = 0f;
                int ai = aOff + i * aRow;
                int bi = bOff + j * bCol;
                for (int p = 0; p < k; p++, ai += aStep, bi += bStep) {
                    s = Math.fma(a[ai], b[bi], s);
                }
                c[crow + j] = accumulate ? c[crow + j] + s : s;
            }
        }
    }
}
