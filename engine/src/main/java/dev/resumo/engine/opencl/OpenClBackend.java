package dev.resumo.engine.opencl;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.BackendShapes;
import dev.resumo.engine.backend.DeviceBuffer;
import dev.resumo.engine.cpu.StridedLayout;
import java.io.PrintStream;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * The op set on one OpenCL device. Buffers are {@link ClBuffer}s; every op enqueues kernels on the
 * device's in-order queue and returns without waiting (only {@link #download}, the reductions that
 * return a number, and {@link #finish} wait).
 */
public final class OpenClBackend implements Backend {
    /** Work-group size of the row kernels (reductions, softmax, norms, cross-entropy). */
    static final int ROW_WG = 64;
    static final String ROW_OPTIONS = "-D ROW_WG=" + ROW_WG;

    private final OpenClRuntime rt;
    private final GemmParams gemmParams;

    public OpenClBackend(OpenClRuntime rt, GemmParams gemmParams) {
        this.rt = rt;
        this.gemmParams = gemmParams;
    }

    /** The backend of a device ("opencl" or "opencl:P:D"), GEMM tiles from the per-device tuning cache. */
    public static OpenClBackend open(String spec, PrintStream log) {
        OpenClRuntime rt = OpenClRuntime.forDevice(spec);
        return new OpenClBackend(rt, GemmTuning.paramsFor(rt, log));
    }

    public OpenClRuntime runtime() {
        return rt;
    }

    public GemmParams gemmParams() {
        return gemmParams;
    }

    private static ClBuffer c(DeviceBuffer b) {
        return (ClBuffer) b;
    }

    private cl_kernel k(String file, String name) {
        return rt.kernel(file, name, file.equals("rows.cl") || file.equals("optim.cl") ? ROW_OPTIONS : "");
    }

    @Override public String name() { return rt.info().selector() + " (" + rt.info().name() + ")"; }

    @Override public ClBuffer allocate(int n) { return rt.allocate(n); }
    @Override public ClBuffer allocateUninitialized(int n) { return rt.allocateUninitialized(n); }

    @Override public ClBuffer upload(float[] data) { return rt.upload(data); }

    @Override
    public float[] download(DeviceBuffer b, int off, int n) {
        float[] out = new float[n];
        c(b).read(off, out, 0, n);
        return out;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, int aOff,
                     DeviceBuffer b, int bOff, DeviceBuffer c, int cOff, boolean accumulate) {
        ClGemm.run(rt, gemmParams, transA, transB, m, n, k, c(a), new int[] {aOff}, c(b), new int[] {bOff}, c(c), cOff, accumulate);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, int[] aOffsets,
                            DeviceBuffer b, int[] bOffsets, DeviceBuffer c, int cOff, boolean accumulate) {
        ClGemm.run(rt, gemmParams, transA, transB, m, n, k, c(a), aOffsets, c(b), bOffsets, c(c), cOff, accumulate);
    }

    /** The ReLU in the GEMM's epilogue (gemm.cl EPI_RELU): one launch where the default takes two. */
    @Override
    public void gemmRelu(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, int aOff,
                         DeviceBuffer b, int bOff, DeviceBuffer c) {
        ClGemm.run(rt, gemmParams, transA, transB, m, n, k, c(a), new int[] {aOff}, c(b), new int[] {bOff}, c(c), 0,
                ClGemm.EPILOGUE_RELU);
    }

    /**
     * One launch for up to {@link ClGemm#SKINNY_MAX_ROWS} rows: the skinny GEMM computes the norm
     * as it reads x (gemm_skinny.cl's normed prologue). Wider, the norm with the scale (rows.cl
     * rms_norm) then the product: two launches, as the add + norm and the product took before.
     */
    @Override
    public void rmsNormLinear(int m, int n, int k, DeviceBuffer x, int xOff, DeviceBuffer norm, int normOff, float eps,
                              float outScale, DeviceBuffer w, int wOff, boolean relu, DeviceBuffer c) {
        if (m == 0 || n == 0) return;
        int epilogue = relu ? ClGemm.EPILOGUE_RELU : ClGemm.EPILOGUE_STORE;
        if (k > 0 && ClGemm.runNormed(rt, m, n, k, c(x), xOff, new ClGemm.NormPrologue(c(norm), normOff, eps, outScale), c(w),
                wOff, c(c), epilogue)) {
            return;
        }
        ClBuffer normed = rt.allocateUninitialized(Math.max(1, (long) m * k)), invRms = rt.allocateUninitialized(m);
        if (k > 0) rows("rms_norm", m, k, eps, x, xOff, norm, normOff, outScale, normed, invRms);
        ClGemm.run(rt, gemmParams, false, true, m, n, k, normed, new int[] {0}, c(w), new int[] {wOff}, c(c), 0, epilogue);
        normed.close(); // back to the pool: the queue runs in order, so a next owner's writes follow the product
        invRms.close();
    }

    /** One launch: the residual added in the GEMM's epilogue (gemm.cl / gemm_skinny.cl EPI_RESIDUAL). */
    @Override
    public void addLinear(int m, int n, int k, DeviceBuffer residual, int rOff, DeviceBuffer a, int aOff,
                          DeviceBuffer w, int wOff, DeviceBuffer c) {
        if (m == 0 || n == 0) return;
        if (k == 0) { // an empty product: C is the residual
            copy(new int[] {m * n}, residual, rOff, new int[] {1}, c, 0, new int[] {1});
            return;
        }
        ClGemm.run(rt, gemmParams, false, true, m, n, k, c(a), new int[] {aOff}, c(w), new int[] {wOff}, c(c), 0,
                ClGemm.EPILOGUE_RESIDUAL, c(residual), rOff);
    }

    /** [rank, shape, strides of each operand] after coalescing, as a device int buffer. */
    private cl_mem layout(StridedLayout lay) {
        int r = lay.rank();
        int[] meta = new int[1 + r * (1 + lay.strides.length)];
        meta[0] = r;
        System.arraycopy(lay.shape, 0, meta, 1, r);
        for (int o = 0; o < lay.strides.length; o++) System.arraycopy(lay.strides[o], 0, meta, 1 + r * (1 + o), r);
        return rt.constInts(meta);
    }

    @Override
    public void binary(int op, int[] shape, DeviceBuffer a, int aOff, int[] aStrides, DeviceBuffer b, int bOff,
                       int[] bStrides, DeviceBuffer out) {
        if (StridedLayout.isEmpty(shape)) return;
        int n = (int) BackendShapes.size(shape);
        cl_mem lay = layout(StridedLayout.of(shape, aStrides, bStrides, BackendShapes.contiguousStrides(shape)));
        rt.launch1d(k("elementwise.cl", "binary"), n, op, n, lay, a, aOff, b, bOff, out, 0);
    }

    @Override
    public void copy(int[] shape, DeviceBuffer src, int srcOff, int[] srcStrides, DeviceBuffer dst, int dstOff, int[] dstStrides) {
        if (StridedLayout.isEmpty(shape)) return;
        int n = (int) BackendShapes.size(shape);
        cl_mem lay = layout(StridedLayout.of(shape, srcStrides, dstStrides));
        rt.launch1d(k("elementwise.cl", "copy_strided"), n, n, lay, src, srcOff, dst, dstOff);
    }

    @Override
    public void sumTo(int[] gShape, DeviceBuffer g, int[] dstShape, DeviceBuffer dst) {
        int[] al = BackendShapes.aligned(gShape, dstShape);
        int r = gShape.length;
        int[] meta = new int[1 + 3 * r];
        meta[0] = r;
        System.arraycopy(gShape, 0, meta, 1, r);
        System.arraycopy(BackendShapes.contiguousStrides(gShape), 0, meta, 1 + r, r);
        System.arraycopy(al, 0, meta, 1 + 2 * r, r);
        int n = (int) BackendShapes.size(dstShape);
        if (BackendShapes.size(gShape) == 0) {
            rt.fill(c(dst), 0, n, 0f);
            return;
        }
        rt.launch1d(k("elementwise.cl", "sum_to"), n, n, rt.constInts(meta), g, 0, dst);
    }

    @Override
    public void scale(DeviceBuffer x, int xOff, float s, DeviceBuffer out, int n) {
        rt.launch1d(k("elementwise.cl", "scale"), n, n, x, xOff, s, out, 0);
    }

    @Override
    public void addInto(DeviceBuffer dst, int dstOff, DeviceBuffer src, int srcOff, int n) {
        rt.launch1d(k("elementwise.cl", "add_into"), n, n, dst, dstOff, src, srcOff);
    }

    @Override public void relu(DeviceBuffer x, int xOff, DeviceBuffer out, int n) { rt.launch1d(k("elementwise.cl", "relu"), n, n, x, xOff, out); }

    @Override
    public void reluBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n) {
        rt.launch1d(k("elementwise.cl", "relu_backward"), n, n, x, xOff, g, gOff, dx);
    }

    @Override public void gelu(DeviceBuffer x, int xOff, DeviceBuffer out, int n) { rt.launch1d(k("elementwise.cl", "gelu"), n, n, x, xOff, out); }

    @Override
    public void geluBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n) {
        rt.launch1d(k("elementwise.cl", "gelu_backward"), n, n, x, xOff, g, gOff, dx);
    }

    @Override public void geluErf(DeviceBuffer x, int xOff, DeviceBuffer out, int n) { rt.launch1d(k("elementwise.cl", "gelu_erf"), n, n, x, xOff, out); }

    @Override
    public void geluErfBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n) {
        rt.launch1d(k("elementwise.cl", "gelu_erf_backward"), n, n, x, xOff, g, gOff, dx);
    }

    @Override public void silu(DeviceBuffer x, int xOff, DeviceBuffer out, int n) { rt.launch1d(k("elementwise.cl", "silu"), n, n, x, xOff, out); }

    @Override
    public void siluBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n) {
        rt.launch1d(k("elementwise.cl", "silu_backward"), n, n, x, xOff, g, gOff, dx);
    }

    private void rows(String name, int rows, Object... args) {
        rt.launch(k("rows.cl", name), new long[] {(long) rows * ROW_WG}, new long[] {ROW_WG}, args);
    }

    @Override
    public double sumAll(DeviceBuffer x, int off, int n) {
        return rowSums("sum_rows", x, off, n);
    }

    @Override
    public double sumSquares(DeviceBuffer x, int off, int n) {
        return rowSums("sum_sq_rows", x, off, n);
    }

    /** A reduction in rows of 4096 on the device, the row results added on the host in double. */
    private double rowSums(String kernel, DeviceBuffer x, int off, int n) {
        if (n == 0) return 0;
        int len = 4096, rows = (n + len - 1) / len, full = n / len;
        ClBuffer partial = rt.allocate(rows);
        try {
            if (full > 0) rows(kernel, full, len, x, off, partial, 0);
            if (full < rows) rows(kernel, 1, n - full * len, x, off + full * len, partial, full);
            double total = 0;
            for (float v : partial.download()) total += v;
            return total;
        } finally {
            partial.close();
        }
    }

    @Override
    public void sumAxis(DeviceBuffer x, int off, int outer, int len, int inner, DeviceBuffer out) {
        if (inner == 1) {
            rows("sum_rows", outer, len, x, off, out, 0);
        } else {
            rt.launch1d(k("rows.cl", "sum_axis"), (long) outer * inner, outer, len, inner, x, off, out);
        }
    }

    @Override public void softmaxRows(DeviceBuffer z, int rows, int n) { rows("softmax_rows", rows, n, z); }

    @Override
    public void softmaxBackwardRows(DeviceBuffer y, DeviceBuffer g, int gOff, DeviceBuffer dz, int rows, int n) {
        rows("softmax_backward_rows", rows, n, y, g, gOff, dz);
    }

    @Override
    public void rmsNorm(DeviceBuffer x, int xOff, DeviceBuffer w, int wOff, int rows, int d, float eps,
                        DeviceBuffer out, DeviceBuffer invRms) {
        rows("rms_norm", rows, d, eps, x, xOff, w, wOff, 1f, out, invRms);
    }

    /** One launch (rows.cl add_rms_norm) where the default takes two: see the kernel for the launches saved. */
    @Override
    public void addRmsNorm(DeviceBuffer x, int xOff, DeviceBuffer delta, int deltaOff, DeviceBuffer w, int wOff,
                           int rows, int d, float eps, DeviceBuffer sum, DeviceBuffer out) {
        addRmsNorm(x, xOff, delta, deltaOff, w, wOff, rows, d, eps, 1f, sum, out);
    }

    /** The output scale in the same launch (rows.cl add_rms_norm's outScale): one launch where the default takes three. */
    @Override
    public void addRmsNorm(DeviceBuffer x, int xOff, DeviceBuffer delta, int deltaOff, DeviceBuffer w, int wOff,
                           int rows, int d, float eps, float outScale, DeviceBuffer sum, DeviceBuffer out) {
        if (rows == 0 || d == 0) return;
        rows("add_rms_norm", rows, d, eps, x, xOff, delta, deltaOff, w, wOff, outScale, sum, out);
    }

    @Override
    public void rmsNormBackwardX(DeviceBuffer x, int xOff, DeviceBuffer w, int wOff, DeviceBuffer g, int gOff,
                                 DeviceBuffer invRms, int rows, int d, DeviceBuffer dx) {
        rows("rms_norm_backward_x", rows, d, x, xOff, w, wOff, g, gOff, invRms, dx);
    }

    @Override
    public void rmsNormBackwardW(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer invRms,
                                 int rows, int d, DeviceBuffer dw) {
        ClBuffer fresh = rt.allocate(d);
        try {
            rt.launch1d(k("rows.cl", "rms_norm_backward_w"), d, rows, d, x, xOff, g, gOff, invRms, fresh);
            addInto(dw, 0, fresh, 0, d);
        } finally {
            fresh.close();
        }
    }

    /**
     * decode_attention.cl's work-group (its DA_WG), also the largest d_kv it takes (its query is
     * held in local memory): 256, or the device's largest power-of-two work-group below that.
     */
    private int decodeWorkGroup() {
        if (decodeWorkGroup == 0) {
            int wg = 256;
            while (wg > ROW_WG && wg > rt.info().maxWorkGroupSize()) wg /= 2;
            decodeOptions = "-D DA_WG=" + wg;
            decodeWorkGroup = wg;
        }
        return decodeWorkGroup;
    }

    private int decodeWorkGroup;
    private String decodeOptions; // built once: a decode step launches the kernel 12 times

    /**
     * One launch per attention (decode_attention.cl: a work-group per (row, head)), where the
     * composed ops took six (split heads, scores GEMM, bias add, softmax, weighted-sum GEMM, merge).
     */
    @Override
    public void decodeAttention(int rows, int heads, int dKv, int length, DeviceBuffer query, int queryOff, int queryRowStride,
                                DeviceBuffer keys, int keysOff, DeviceBuffer values, int valuesOff, int rowStride, int posStride,
                                DeviceBuffer headBias, int biasOff, int biasHeadStride, int biasPosStride,
                                DeviceBuffer mask, int maskOff, int maskRowStride, DeviceBuffer out) {
        decodeAttention(rows, heads, dKv, length, null, 0, 0, 0, query, queryOff, queryRowStride, keys, keysOff, values,
                valuesOff, rowStride, posStride, headBias, biasOff, biasHeadStride, biasPosStride, mask, maskOff, maskRowStride, out);
    }

    /** The KV-cache write in the attention's own launch (decode_attention.cl with hasNew): one launch, not two. */
    @Override
    public void decodeAttention(int rows, int heads, int dKv, int length,
                                DeviceBuffer newKv, int newKeysOff, int newValuesOff, int newRowStride,
                                DeviceBuffer query, int queryOff, int queryRowStride,
                                DeviceBuffer keys, int keysOff, DeviceBuffer values, int valuesOff, int rowStride, int posStride,
                                DeviceBuffer headBias, int biasOff, int biasHeadStride, int biasPosStride,
                                DeviceBuffer mask, int maskOff, int maskRowStride, DeviceBuffer out) {
        int wg = decodeWorkGroup();
        if (dKv < 1 || dKv > wg) {
            throw new IllegalArgumentException("decodeAttention: d_kv " + dKv + " outside 1.." + wg + " (the kernel's limit on " + name() + ")");
        }
        if (length < 1) throw new IllegalArgumentException("decodeAttention: attention over " + length + " positions");
        DeviceBuffer absent = query; // stands in for a missing new position, bias or mask: its flag says it is never read
        cl_kernel kernel = rt.kernel("decode_attention.cl", "decode_attention", decodeOptions);
        rt.launch(kernel, new long[] {(long) rows * heads * wg}, new long[] {wg},
                heads, dKv, length, newKv == null ? absent : newKv, newKeysOff, newValuesOff, newRowStride, newKv != null,
                query, queryOff, queryRowStride, keys, keysOff, values, valuesOff, rowStride, posStride,
                headBias == null ? absent : headBias, biasOff, biasHeadStride, biasPosStride, headBias != null,
                mask == null ? absent : mask, maskOff, maskRowStride, mask != null, out);
    }

    @Override
    public void gatherRows(DeviceBuffer table, int tableOff, int d, int[] ids, DeviceBuffer out) {
        cl_mem idBuf = rt.uploadInts(ids);
        try {
            rt.launch1d(k("index.cl", "gather_rows"), (long) ids.length * d, ids.length, d, table, tableOff, idBuf, out);
        } finally {
            rt.releaseLater(idBuf);
        }
    }

    @Override
    public void scatterAddRows(DeviceBuffer src, int srcOff, int d, int[] ids, DeviceBuffer dst) {
        int[] plan = scatterPlan(ids);
        int groups = (plan.length - ids.length - 1) / 2;
        cl_mem planBuf = rt.uploadInts(plan);
        try {
            rt.launch1d(k("index.cl", "scatter_add_rows"), (long) groups * d, groups, d, src, srcOff, planBuf, dst);
        } finally {
            rt.releaseLater(planBuf);
        }
    }

    /**
     * The positions of {@code ids} grouped by id, for scatter_add_rows: [starts of the G groups
     * and the end | each group's id | the positions, ascending within a group].
     */
    static int[] scatterPlan(int[] ids) {
        long[] keyed = new long[ids.length];
        for (int i = 0; i < ids.length; i++) keyed[i] = ((long) ids[i] << 32) | i; // ids are ≥ 0 rows
        java.util.Arrays.sort(keyed);
        int groups = 0;
        for (int i = 0; i < keyed.length; i++) if (i == 0 || (keyed[i] >>> 32) != (keyed[i - 1] >>> 32)) groups++;
        int[] plan = new int[2 * groups + 1 + ids.length];
        int g = 0;
        for (int i = 0; i < keyed.length; i++) {
            if (i == 0 || (keyed[i] >>> 32) != (keyed[i - 1] >>> 32)) {
                plan[g] = i;
                plan[groups + 1 + g] = (int) (keyed[i] >>> 32);
                g++;
            }
            plan[2 * groups + 1 + i] = (int) keyed[i];
        }
        plan[groups] = ids.length;
        return plan;
    }

    @Override
    public double crossEntropy(DeviceBuffer z, int zOff, int rows, int v, int[] labels, int ignoreIndex, float smoothing, DeviceBuffer lse) {
        if (rows == 0) return 0;
        cl_mem lab = rt.uploadInts(labels);
        ClBuffer loss = rt.allocate(rows);
        try {
            rows("cross_entropy", rows, v, z, zOff, lab, ignoreIndex, smoothing, lse, loss);
            double total = 0;
            for (float l : loss.download()) total += l;
            return total;
        } finally {
            rt.releaseLater(lab);
            loss.close();
        }
    }

    @Override
    public void crossEntropyBackward(DeviceBuffer z, int zOff, int rows, int v, int[] labels, int ignoreIndex, float smoothing,
                                     DeviceBuffer lse, float scale, DeviceBuffer dz) {
        cl_mem lab = rt.uploadInts(labels);
        try {
            rt.launch1d(k("rows.cl", "cross_entropy_backward"), (long) rows * v, rows, v, z, zOff, lab, ignoreIndex, smoothing, lse, scale, dz);
        } finally {
            rt.releaseLater(lab);
        }
    }

    @Override public long kernelLaunches() { return rt.launches(); }

    @Override public void finish() { rt.finish(); }

    /** Leaves the shared runtime open (other backends of the same device may use it). */
    @Override public void close() { rt.finish(); }
}
