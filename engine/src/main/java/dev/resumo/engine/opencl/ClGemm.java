package dev.resumo.engine.opencl;

import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/** Launches the tiled GEMM kernel (gemm.cl) for one layout and one set of tile parameters. */
final class ClGemm {
    private ClGemm() {}

    /** For each t: C[cOff + t·m·n] (+)= op(A[aOffsets[t]])·op(B[bOffsets[t]]). */
    static void run(OpenClRuntime rt, GemmParams p, boolean transA, boolean transB, int m, int n, int k,
                    ClBuffer a, int[] aOffsets, ClBuffer b, int[] bOffsets, ClBuffer c, int cOff, boolean accumulate) {
        int batch = aOffsets.length;
        if (m == 0 || n == 0 || batch == 0) return;
        if (k == 0) { // empty inner dim: C = 0 (or unchanged when accumulating)
            if (!accumulate) rt.fill(c, cOff, (long) batch * m * n, 0f);
            return;
        }
        cl_kernel kernel = rt.kernel("gemm.cl", p.kernelName(), p.buildOptions(transA, transB));
        int rtsm = p.tsm() / p.wptm(), rtsn = p.tsn() / p.wptn();
        // The vector kernel covers 8 columns per item along N; with B transposed, WPTN (= 8) columns too.
        long[] global = {(long) ceilDiv(n, p.tsn()) * rtsn, (long) ceilDiv(m, p.tsm()) * rtsm, batch};
        long[] local = {rtsn, rtsm, 1};
        cl_mem ao = rt.constInts(aOffsets), bo = rt.constInts(bOffsets); // cached: the same every step
        rt.launch(kernel, global, local, m, n, k, a, ao, b, bo, c, cOff, accumulate);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
