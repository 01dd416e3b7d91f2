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
}
