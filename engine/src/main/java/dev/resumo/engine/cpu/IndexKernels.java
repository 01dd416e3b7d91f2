package dev.resumo.engine.cpu;

/** Row gathers and scatter-adds for embeddings. */
public final class IndexKernels {
    private static final int GRAIN_ELEMS = 1 << 14;

    private IndexKernels() {}

    /** out[i, :] = table[ids[i], :] for a contiguous table [V, d] from tableOff. */
    public static void gatherRows(float[] table, int tableOff, int d, int[] ids, float[] out) {
        Workers.parallelFor(ids.length, Math.max(1, GRAIN_ELEMS / Math.max(1, d)), (s, e) -> {
            for (int i = s; i < e; i++) System.arraycopy(table, tableOff + ids[i] * d, out, i * d, d);
        });
    }

    /**
     * dst[ids[i], :] += src[i, :]. Serial: repeated ids add into the same row, and the order of
     * additions is then fixed (reproducible sums).
     */
    public static void scatterAddRows(float[] src, int srcOff, int d, int[] ids, float[] dst) {
        for (int i = 0; i < ids.length; i++) {
            int so = srcOff + i * d, dOff = ids[i] * d;
            for (int j = 0; j < d; j++) dst[dOff + j] += src[so + j];
        }
    }

    /**
     * out[j, r, c] = table[idsByDiagonal[c − r + rows − 1], j] for a contiguous table [V, d] from
     * tableOff: a [d, rows, cols] stack of Toeplitz matrices (each constant along its diagonals),
     * feature-major. One id per diagonal instead of one per element: T5's position bias depends on
     * key − query only.
     */
    public static void gatherToeplitz(float[] table, int tableOff, int d, int[] idsByDiagonal, int rows, int cols,
                                      float[] out) {
        Workers.parallelFor(d * rows, Math.max(1, GRAIN_ELEMS / Math.max(1, cols)), (s, e) -> {
            for (int jr = s; jr < e; jr++) {
                int j = jr / rows, r = jr % rows;
                int o = jr * cols, diagonal = rows - 1 - r;
                for (int c = 0; c < cols; c++) out[o + c] = table[tableOff + idsByDiagonal[diagonal + c] * d + j];
            }
        });
    }

    /**
     * dst[idsByDiagonal[c − r + rows − 1], j] += src[j, r, c] for src [d, rows, cols] from srcOff,
     * the backward of {@link #gatherToeplitz}. Serial, each destination element summed over (r, c)
     * in row-major order: the order {@link #scatterAddRows} adds an [rows·cols, d] gradient in, so
     * the sums are the same bits as gathering per element and permuting.
     */
    public static void scatterAddToeplitz(float[] src, int srcOff, int d, int[] idsByDiagonal, int rows, int cols,
                                          float[] dst) {
        for (int r = 0; r < rows; r++) {
            int diagonal = rows - 1 - r;
            for (int c = 0; c < cols; c++) {
                int dOff = idsByDiagonal[diagonal + c] * d;
                for (int j = 0, so = srcOff + r * cols + c; j < d; j++, so += rows * cols) dst[dOff + j] += src[so];
            }
        }
    }
}
