package dev.resumo.engine.opencl;

import java.util.List;

/**
 * Tile sizes of the OpenCL GEMM: a work-group computes a TSM×TSN block of C, staging TSK-deep
 * slices of A and B in local memory; each work-item holds a WPTM×WPTN register block. TSK = 0
 * selects the direct kernel (no local memory, no barriers); TSK = -1 the vector kernel (explicit
 * float8: 8 columns per item along N, or float8 dot products along K when B is transposed), which
 * CPU devices such as PoCL run faster. For the vector kernel TSN counts items × 8 columns.
 */
public record GemmParams(int tsm, int tsn, int tsk, int wptm, int wptn) {
    /** Candidates the tuning run measures (small to large register blocks). */
    public static final List<GemmParams> CANDIDATES = List.of(
            new GemmParams(16, 16, 16, 1, 1),
            new GemmParams(32, 32, 16, 2, 2),
            new GemmParams(64, 64, 16, 4, 4),
            new GemmParams(64, 64, 8, 8, 8),
            new GemmParams(128, 64, 16, 8, 4),
            new GemmParams(128, 128, 8, 8, 8),
            new GemmParams(128, 128, 16, 8, 8),
            new GemmParams(64, 128, 16, 8, 8),
            new GemmParams(32, 64, 0, 4, 8),
            new GemmParams(64, 128, 0, 8, 8),
            new GemmParams(16, 128, 0, 4, 8),
            new GemmParams(32, 64, -1, 4, 8),
            new GemmParams(16, 128, -1, 2, 8),
            new GemmParams(64, 64, -1, 8, 8));

    public GemmParams {
        if (tsm % wptm != 0 || tsn % wptn != 0 || tsk < -1 || (tsk == -1 && wptn != 8)) {
            throw new IllegalArgumentException("GEMM tiles " + tsm + "x" + tsn + "x" + tsk
                    + " do not divide by the register block " + wptm + "x" + wptn);
        }
    }

    /** The direct kernel: no local-memory tiles. */
    public boolean direct() {
        return tsk == 0;
    }

    /** The explicit-SIMD kernel (float8 along N, or along K when B is transposed). */
    public boolean vector() {
        return tsk == -1;
    }

    /** The kernel function in gemm.cl. */
    String kernelName() {
        return vector() ? "gemm_vec" : direct() ? "gemm_direct" : "gemm";
    }

    public int workGroupSize() {
        return (tsm / wptm) * (tsn / wptn);
    }

    public long localMemBytes() {
        return 4L * Math.max(0, tsk) * (tsm + 1 + tsn + 1); // the tiles' rows carry one float of padding (gemm.cl)
    }

    /** "TSM,TSN,TSK,WPTM,WPTN": the cache file format and the resumo.opencl.gemm override. */
    public String encode() {
        return tsm + "," + tsn + "," + tsk + "," + wptm + "," + wptn;
    }

    public static GemmParams decode(String s) {
        String[] p = s.trim().split(",");
        if (p.length != 5) throw new IllegalArgumentException("GEMM params '" + s + "' are not TSM,TSN,TSK,WPTM,WPTN");
        int[] v = new int[5];
        for (int i = 0; i < 5; i++) v[i] = Integer.parseInt(p[i].trim());
        return new GemmParams(v[0], v[1], v[2], v[3], v[4]);
    }

    /** gemm.cl's compile-time parameters; {@code splitK}: the kernel computes one depth chunk per slot. */
    String buildOptions(boolean transA, boolean transB, boolean splitK) {
        return "-D TRANS_A=" + (transA ? 1 : 0) + " -D TRANS_B=" + (transB ? 1 : 0) + " -D TSM=" + tsm
                + " -D TSN=" + tsn + " -D TSK=" + Math.max(1, tsk) + " -D WPTM=" + wptm + " -D WPTN=" + wptn
                + " -D SPLIT_K=" + (splitK ? 1 : 0);
    }

    @Override
    public String toString() {
        return (vector() ? "vector, block " + tsm + "x" + tsn : direct() ? "direct, block " + tsm + "x" + tsn
                : "tile " + tsm + "x" + tsn + "x" + tsk)
                + ", register block " + wptm + "x" + wptn;
    }
}
