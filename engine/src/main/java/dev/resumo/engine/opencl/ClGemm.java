package dev.resumo.engine.opencl;

import dev.resumo.engine.TuningProperty;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/** Launches the tiled GEMM kernel (gemm.cl) for one layout and one set of tile parameters. */
final class ClGemm {
    private ClGemm() {}

    /**
     * How the kernels write a product into C (gemm.cl's EPI_*): stored, added onto C, stored through
     * a ReLU, or stored added to a residual R (R + product, laid out as C).
     */
    static final int EPILOGUE_STORE = 0, EPILOGUE_ADD = 1, EPILOGUE_RELU = 2, EPILOGUE_RESIDUAL = 3;

    /** For each t: C[cOff + t·m·n] (+)= op(A[aOffsets[t]])·op(B[bOffsets[t]]). */
    static void run(OpenClRuntime rt, GemmParams p, boolean transA, boolean transB, int m, int n, int k,
                    ClBuffer a, int[] aOffsets, ClBuffer b, int[] bOffsets, ClBuffer c, int cOff, boolean accumulate) {
        run(rt, p, transA, transB, m, n, k, a, aOffsets, b, bOffsets, c, cOff, accumulate ? EPILOGUE_ADD : EPILOGUE_STORE);
    }

    /** For each t: C[cOff + t·m·n] = epilogue(op(A[aOffsets[t]])·op(B[bOffsets[t]]), C) (see {@link #EPILOGUE_STORE}). */
    static void run(OpenClRuntime rt, GemmParams p, boolean transA, boolean transB, int m, int n, int k,
                    ClBuffer a, int[] aOffsets, ClBuffer b, int[] bOffsets, ClBuffer c, int cOff, int epilogue) {
        run(rt, p, transA, transB, m, n, k, a, aOffsets, b, bOffsets, c, cOff, epilogue, null, 0);
    }

    /**
     * As above; with {@link #EPILOGUE_RESIDUAL}, C[cOff + t·m·n] = R[rOff + t·m·n] + product (R may
     * not overlap C; the caller handles k = 0, where C is a copy of R).
     */
    static void run(OpenClRuntime rt, GemmParams p, boolean transA, boolean transB, int m, int n, int k,
                    ClBuffer a, int[] aOffsets, ClBuffer b, int[] bOffsets, ClBuffer c, int cOff, int epilogue,
                    ClBuffer residual, int rOff) {
        int batch = aOffsets.length;
        if (m == 0 || n == 0 || batch == 0) return;
        if ((epilogue == EPILOGUE_RESIDUAL) != (residual != null)) {
            throw new IllegalArgumentException("gemm: a residual goes with the residual epilogue only (epilogue " + epilogue + ")");
        }
        if (k == 0) { // empty inner dim: C = 0 (relu(0) too), or unchanged when accumulating
            if (epilogue == EPILOGUE_RESIDUAL) throw new IllegalArgumentException("gemm: k = 0 with a residual (copy it instead)");
            if (epilogue != EPILOGUE_ADD) rt.fill(c, cOff, (long) batch * m * n, 0f);
            return;
        }
        ClBuffer r = residual != null ? residual : c; // never read without the residual epilogue
        if (SKINNY && !transA && transB && m <= SKINNY_MAX_ROWS) {
            runSkinny(rt, m, n, k, a, aOffsets, b, bOffsets, c, cOff, epilogue, r, rOff, null);
            return;
        }
        if (SPLIT_K) {
            int splits = splitsFor(p, m, n, k, batch, rt.info().computeUnits());
            if (splits > 1) {
                runSplitK(rt, p, transA, transB, m, n, k, splits, a, aOffsets[0], b, bOffsets[0], c, cOff, epilogue, r, rOff);
                return;
            }
        }
        GemmParams tuned = p;
        p = forOutput(rt, p, m, n, batch);
        cl_kernel kernel = rt.kernel("gemm.cl", p.kernelName(), p.buildOptions(transA, transB, false));
        int rtsm = p.tsm() / p.wptm(), rtsn = p.tsn() / p.wptn();
        // The vector kernel covers 8 columns per item along N; with B transposed, WPTN (= 8) columns too.
        long[] global = {(long) ceilDiv(n, p.tsn()) * rtsn, (long) ceilDiv(m, p.tsm()) * rtsm, batch};
        long[] local = {rtsn, rtsm, 1};
        cl_mem ao = rt.constInts(aOffsets), bo = rt.constInts(bOffsets); // cached: the same every step
        String tiles = p.tsm() == SMALLEST.tsm() && p.tsn() == SMALLEST.tsn() ? " (16x16)"
                : p.tsm() != tuned.tsm() || p.tsn() != tuned.tsn() ? " (" + p.tsm() + "x" + p.tsn() + ")" : "";
        rt.launch(label(rt, p.kernelName(), m, n, k, batch, tiles), kernel, global, local, m, n, k, a, ao, b, bo, c, cOff,
                epilogue, k, r, rOff);
    }

    /**
     * The RMS norm that gemm_skinny.cl applies to A as it reads it (its normed prologue): A's row i
     * is used as x_i · inv_i · w · outScale, inv_i = 1/sqrt(mean(x_i²) + eps), w [k] at wOff.
     */
    record NormPrologue(ClBuffer weight, int weightOff, float eps, float outScale) {}

    /**
     * C [m×n] = epilogue((rmsNorm(A)·outScale)·Bᵀ) in one skinny launch (m ≤ {@link #SKINNY_MAX_ROWS},
     * one batch slot, k > 0): the same bits as rows.cl's rms_norm followed by the plain product,
     * whose arithmetic the prologue shares (rms.cl). False when the skinny kernel is off
     * (-Dresumo.opencl.skinny=false) or m is too large: the caller then norms with a launch of its own.
     */
    static boolean runNormed(OpenClRuntime rt, int m, int n, int k, ClBuffer a, int aOff, NormPrologue norm,
                             ClBuffer b, int bOff, ClBuffer c, int epilogue) {
        if (!SKINNY || m > SKINNY_MAX_ROWS) return false;
        if (m == 0 || n == 0) return true;
        if (k == 0) throw new IllegalArgumentException("gemm: a normed prologue over k = 0");
        runSkinny(rt, m, n, k, a, new int[] {aOff}, b, new int[] {bOff}, c, 0, epilogue, c, 0, norm);
        return true;
    }

    private static void runSkinny(OpenClRuntime rt, int m, int n, int k, ClBuffer a, int[] aOffsets, ClBuffer b,
                                  int[] bOffsets, ClBuffer c, int cOff, int epilogue, ClBuffer r, int rOff, NormPrologue norm) {
        int batch = aOffsets.length;
        cl_mem ao = rt.constInts(aOffsets), bo = rt.constInts(bOffsets);
        String name = norm == null ? "gemm_skinny_nt" : "gemm_skinny_nt normed";
        rt.launch(label(rt, name, m, n, k, batch, ""), rt.kernel("gemm_skinny.cl", "gemm_skinny_nt", SKINNY_OPTIONS),
                new long[] {SKINNY_LANES, roundUp(n, SKINNY_COLUMNS), batch}, new long[] {SKINNY_LANES, SKINNY_COLUMNS, 1},
                m, n, k, a, ao, b, bo, c, cOff, epilogue, r, rOff, norm != null,
                norm == null ? a : norm.weight(), norm == null ? 0 : norm.weightOff(), norm == null ? 0f : norm.eps(),
                norm == null ? 1f : norm.outScale());
    }

    /** Off with -Dresumo.opencl.splitK=false (to measure the choice below). */
    private static final boolean SPLIT_K = Boolean.parseBoolean(System.getProperty("resumo.opencl.splitK", "true"));
    /**
     * Depth from which a product may be split, and the least depth of one chunk
     * (-Dresumo.opencl.splitMinK / .splitMinChunk, for tuning experiments). Splitting the 512-deep
     * products too was tried on the H200 (`bench device`, training step, three runs each): kernel
     * time fell (512×512×512 60 → 39 µs in 4 chunks of 128, 2048×512×512 81 → 61 µs in 3) but the
     * added launches (one sum per product) ate it: 64-99 ms per step with chunks of 128, 59-78 with
     * chunks of 256, 61-88 without, all within that machine's noise; kept off.
     */
    static final int SPLIT_MIN_K = TuningProperty.intValue("resumo.opencl.splitMinK", 1024, 1, Integer.MAX_VALUE);
    static final int SPLIT_MIN_CHUNK = TuningProperty.intValue("resumo.opencl.splitMinChunk", 256, 1, Integer.MAX_VALUE);

    /**
     * Depth chunks for one product (1: no split). A small output with a long depth — the weight
     * gradients of the training step (512×512 outputs over 2048 tokens) and the lm_head's input
     * gradient (512×512 over the 32128-word vocabulary) — gives the tuned tiles fewer work-groups
     * than the device has compute units, each walking the whole depth: on the H200 (132 units,
     * 128×128 tiles: 16 groups) 512×512×2048 ran at 4.9 TFLOP/s on smaller tiles and 512×512×32128
     * took 3.8 ms. Splitting the depth into enough chunks to give every unit a group keeps the
     * tuned tiles; one more launch adds the chunks. Tiled kernels only (GPUs), one product at a time.
     */
    static int splitsFor(GemmParams tuned, int m, int n, int k, int batch, int computeUnits) {
        if (tuned.direct() || tuned.vector() || batch != 1 || k < SPLIT_MIN_K) return 1;
        long groups = groups(tuned, m, n, 1);
        if (groups >= computeUnits) return 1;
        long wanted = (computeUnits + groups - 1) / groups;
        return (int) Math.max(1, Math.min(wanted, k / SPLIT_MIN_CHUNK));
    }

    /**
     * C (+)= op(A)·op(B) as {@code splits} depth chunks (a multiple of TSK deep, the last one
     * shorter), each chunk's product into its own slot of a scratch buffer, then the slots added in
     * order (gemm_splitk_sum): the result does not depend on timing. Package-private so tests can
     * force a split on any device.
     */
    static void runSplitK(OpenClRuntime rt, GemmParams p, boolean transA, boolean transB, int m, int n, int k,
                          int splits, ClBuffer a, int aOff, ClBuffer b, int bOff, ClBuffer c, int cOff,
                          boolean accumulate) {
        runSplitK(rt, p, transA, transB, m, n, k, splits, a, aOff, b, bOff, c, cOff, accumulate ? EPILOGUE_ADD : EPILOGUE_STORE);
    }

    /** As above, C written through {@code epilogue} (the chunks' sum is what goes through it). */
    static void runSplitK(OpenClRuntime rt, GemmParams p, boolean transA, boolean transB, int m, int n, int k,
                          int splits, ClBuffer a, int aOff, ClBuffer b, int bOff, ClBuffer c, int cOff,
                          int epilogue) {
        runSplitK(rt, p, transA, transB, m, n, k, splits, a, aOff, b, bOff, c, cOff, epilogue, c, 0);
    }

    /** As above, the residual epilogue adding R[rOff..] (r is never read for the other epilogues). */
    static void runSplitK(OpenClRuntime rt, GemmParams p, boolean transA, boolean transB, int m, int n, int k,
                          int splits, ClBuffer a, int aOff, ClBuffer b, int bOff, ClBuffer c, int cOff,
                          int epilogue, ClBuffer r, int rOff) {
        if (p.direct() || p.vector()) throw new IllegalArgumentException("split-K needs the tiled kernel, not " + p);
        int kLen = (int) roundUp(ceilDiv(k, splits), p.tsk());
        int slots = ceilDiv(k, kLen);
        long mn = (long) m * n;
        // The chunks' products, in a buffer of this call's own: one scratch buffer per runtime was
        // shared by every thread driving the device (`resumo batch` runs several on one runtime), and
        // another thread's chunks could overwrite the partials between the two launches below. The
        // pool serves the same size again without a new device allocation, as for any op's output.
        ClBuffer partial = rt.allocateUninitialized(slots * mn);
        cl_kernel kernel = rt.kernel("gemm.cl", "gemm", p.buildOptions(transA, transB, true));
        int rtsm = p.tsm() / p.wptm(), rtsn = p.tsn() / p.wptn();
        long[] global = {(long) ceilDiv(n, p.tsn()) * rtsn, (long) ceilDiv(m, p.tsm()) * rtsm, slots};
        long[] local = {rtsn, rtsm, 1};
        cl_mem ao = rt.constInts(new int[] {aOff}), bo = rt.constInts(new int[] {bOff});
        rt.launch(label(rt, "gemm", m, n, k, 1, " split " + slots), kernel, global, local, m, n, k, a, ao, b, bo,
                partial, 0, EPILOGUE_STORE, kLen, partial, 0);
        rt.launch1d(rt.kernel("gemm.cl", "gemm_splitk_sum", p.buildOptions(transA, transB, true)), mn, (int) mn, slots,
                partial, c, cOff, epilogue, r, rOff);
        partial.close(); // back to the pool: the queue runs in order, so its next owner's writes follow the sum
    }

    /** The kernel profile's name for a launch ("gemm 8x512x2048 x64"), null when profiling is off. */
    private static String label(OpenClRuntime rt, String kernel, int m, int n, int k, int batch, String suffix) {
        return rt.profiling() ? kernel + " " + m + "x" + n + "x" + k + (batch > 1 ? " x" + batch : "") + suffix : null;
    }

    /** A·Bᵀ with at most this many rows goes to gemm_skinny.cl (its SK_MAXM); off with -Dresumo.opencl.skinny=false. */
    static final int SKINNY_MAX_ROWS = 8;
    /** gemm_skinny.cl's work-group: SK_LANES items along K by SK_COLS columns. */
    private static final int SKINNY_LANES = skinnyProperty("resumo.opencl.skinnyLanes", 32, true);
    private static final int SKINNY_COLUMNS = skinnyProperty("resumo.opencl.skinnyCols", 8, false);
    /** ROW_WG: the normed prologue sums Σx² as rows.cl's kernels do, over that many items' shares. */
    private static final String SKINNY_OPTIONS = "-D SK_LANES=" + SKINNY_LANES + " -D SK_COLS=" + SKINNY_COLUMNS
            + " " + OpenClBackend.ROW_OPTIONS;
    /**
     * A skinny work-group dimension from a property, for A/B runs on a GPU (session 24 on an H200:
     * 4 columns × 32 lanes and 2 × 64 timed within noise of the default 8 × 32). Lanes are summed by a
     * tree and lane m writes row m, so lanes must be a power of two ≥ SKINNY_MAX_ROWS.
     */
    private static int skinnyProperty(String name, int fallback, boolean lanes) {
        int v = Integer.getInteger(name, fallback);
        int most = 256; // lanes × columns items a work-group: what every OpenCL GPU we know takes
        boolean ok = lanes ? v >= SKINNY_MAX_ROWS && Integer.bitCount(v) == 1 && v <= most : v >= 1 && v * SKINNY_LANES <= most;
        if (!ok) {
            throw new IllegalArgumentException("-D" + name + "=" + v + ": " + (lanes
                    ? "a power of two from " + SKINNY_MAX_ROWS + " to " + most : "from 1 to " + most / SKINNY_LANES + " with " + SKINNY_LANES + " lanes"));
        }
        return v;
    }

    private static final boolean SKINNY = Boolean.parseBoolean(System.getProperty("resumo.opencl.skinny", "true"));

    /** Off with -Dresumo.opencl.smallOutputTiles=false (to measure the choice below). */
    private static final boolean SMALL_OUTPUT_TILES =
            Boolean.parseBoolean(System.getProperty("resumo.opencl.smallOutputTiles", "true"));
    private static final GemmParams SMALLEST = GemmParams.CANDIDATES.get(0);

    /**
     * The tuned tiles, or — when they would give the device fewer work-groups than it has compute
     * units — the largest local-memory tiles that still give every unit one (more threads per
     * group breaking a tie), else the smallest. Tuning measures one large product, where big tiles
     * win; small outputs are bound by how many units take part. A decoder step's products (8 rows
     * × 512 columns at batch 8) made 16 work-groups of 32×32 for a 132-multiprocessor GPU; with the
     * 128×128 tiles the H200 tuned to, the training step's 2048×512 outputs made 64 and ran at
     * 4.3 TFLOP/s on the smallest tiles against 21 for 2048×2048 outputs on the tuned ones.
     */
    static GemmParams forOutput(OpenClRuntime rt, GemmParams tuned, int m, int n, int batch) {
        if (!SMALL_OUTPUT_TILES || tuned.direct() || tuned.vector()) return tuned;
        DeviceInfo info = rt.info();
        return forOutput(tuned, m, n, batch, info.computeUnits(), p -> GemmTuning.fits(info, p));
    }

    static GemmParams forOutput(GemmParams tuned, int m, int n, int batch, int computeUnits,
                                java.util.function.Predicate<GemmParams> fits) {
        if (groups(tuned, m, n, batch) >= computeUnits) return tuned;
        GemmParams best = null;
        for (GemmParams p : GemmParams.CANDIDATES) {
            if (p.direct() || p.vector() || !fits.test(p) || groups(p, m, n, batch) < computeUnits) continue;
            if (best == null || area(p) > area(best)
                    || (area(p) == area(best) && p.workGroupSize() > best.workGroupSize())) {
                best = p;
            }
        }
        return best != null ? best : SMALLEST;
    }

    private static long groups(GemmParams p, int m, int n, int batch) {
        return (long) ceilDiv(m, p.tsm()) * ceilDiv(n, p.tsn()) * batch;
    }

    private static int area(GemmParams p) {
        return p.tsm() * p.tsn();
    }

    private static long roundUp(int a, int b) {
        return (long) ceilDiv(a, b) * b;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
