package dev.resumo.engine.cpu;

/**
 * Per-thread packing buffers of {@link Gemm}, grown to the largest block seen and then reused, so a
 * steady stream of GEMMs allocates nothing. Each thread (caller or worker) has its own.
 */
final class GemmScratch {
    private static final ThreadLocal<GemmScratch> MINE = ThreadLocal.withInitial(GemmScratch::new);

    private float[] a = new float[0];
    private float[] b = new float[0];
    /** One MR×NR tile for edge tiles, which the kernel writes here before the valid part is copied. */
    final float[] edge = new float[GemmMicroKernel.MR * GemmMicroKernel.NR];
    /** The caller's reusable description of its current GEMM (see {@link GemmPlan}). */
    final GemmPlan plan = new GemmPlan();

    static GemmScratch mine() {
        return MINE.get();
    }

    float[] a(int size) {
        if (a.length < size) a = new float[size];
        return a;
    }

    /** A whole packed A panel the workers share (row blocks with several column blocks). */
    private float[] sharedA = new float[0];

    float[] sharedA(int size) {
        if (sharedA.length < size) sharedA = new float[size];
        return sharedA;
    }

    float[] b(int size) {
        if (b.length < size) b = new float[size];
        return b;
    }
}
