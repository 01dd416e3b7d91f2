package dev.resumo.engine.backend;

/**
 * The op set every compute backend implements, over its own {@link DeviceBuffer}s: the boundary
 * between the engine's tensor/autograd layer and the place where numbers are crunched. The CPU
 * backend runs the Vector API kernels in {@code engine.cpu} on Java arrays; the OpenCL backend
 * runs {@code .cl} kernels on device buffers (weights uploaded once stay resident; host copies
 * happen only in {@link #upload} and {@link #download}). A TornadoVM backend would implement the
 * same interface.
 *
 * <p>Signatures mirror the CPU kernels: offsets and strides are in floats; unless said otherwise
 * outputs are contiguous from offset 0 and overwritten. Each call is one op over whole tensors, so
 * dispatch costs one virtual call per op, never per element.
 */
public interface Backend extends AutoCloseable {
    int ADD = 0, SUB = 1, MUL = 2, DIV = 3;

    /** "cpu" or "opencl:P:D (device name)". */
    String name();

    /** A zeroed buffer of n floats. */
    DeviceBuffer allocate(int n);

    /**
     * A buffer of n floats whose contents are undefined, for an op that writes every element
     * (a device saves the zero-fill launch; a JVM array is zeroed anyway).
     */
    default DeviceBuffer allocateUninitialized(int n) {
        return allocate(n);
    }

    DeviceBuffer upload(float[] data);

    /** n values from off, copied to the host. */
    float[] download(DeviceBuffer b, int off, int n);

    /** C = op(A)·op(B) (+ C when accumulating); layouts as {@code cpu.Gemm}. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, int aOff,
              DeviceBuffer b, int bOff, DeviceBuffer c, int cOff, boolean accumulate);

    /**
     * Batched GEMM: for each t, C[cOff + t·m·n] = op(A[aOffsets[t]])·op(B[bOffsets[t]]) (+ C).
     * Broadcast batch dims repeat offsets.
     */
    void gemmBatched(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, int[] aOffsets,
                     DeviceBuffer b, int[] bOffsets, DeviceBuffer c, int cOff, boolean accumulate);

    /** out = a op b over shape, a and b with (broadcast) strides. */
    void binary(int op, int[] shape, DeviceBuffer a, int aOff, int[] aStrides, DeviceBuffer b, int bOff,
                int[] bStrides, DeviceBuffer out);

    /** Strided copy between views of the same shape. */
    void copy(int[] shape, DeviceBuffer src, int srcOff, int[] srcStrides, DeviceBuffer dst, int dstOff, int[] dstStrides);

    /** dst (contiguous, shape dstShape) = g (contiguous, gShape) summed over the broadcast dims. */
    void sumTo(int[] gShape, DeviceBuffer g, int[] dstShape, DeviceBuffer dst);

    void scale(DeviceBuffer x, int xOff, float s, DeviceBuffer out, int n);

    /** dst[dstOff + i] += src[srcOff + i] (gradient accumulation). */
    void addInto(DeviceBuffer dst, int dstOff, DeviceBuffer src, int srcOff, int n);

    void relu(DeviceBuffer x, int xOff, DeviceBuffer out, int n);

    void reluBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n);

    void gelu(DeviceBuffer x, int xOff, DeviceBuffer out, int n);

    void geluBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n);

    /** Exact GELU, x·Φ(x) (HF "gelu"). */
    void geluErf(DeviceBuffer x, int xOff, DeviceBuffer out, int n);

    void geluErfBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n);

    /** SiLU / swish, x·σ(x). */
    void silu(DeviceBuffer x, int xOff, DeviceBuffer out, int n);

    void siluBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n);

    double sumAll(DeviceBuffer x, int off, int n);

    /** Σ x² over x[off, off+n) (gradient norms). */
    double sumSquares(DeviceBuffer x, int off, int n);

    /** x as [outer, len, inner] from off: out[o, i] = Σ_k x[o, k, i]. */
    void sumAxis(DeviceBuffer x, int off, int outer, int len, int inner, DeviceBuffer out);

    /** Row softmax in place over z (rows × n from 0); all -inf rows become zeros. */
    void softmaxRows(DeviceBuffer z, int rows, int n);

    void softmaxBackwardRows(DeviceBuffer y, DeviceBuffer g, int gOff, DeviceBuffer dz, int rows, int n);

    void rmsNorm(DeviceBuffer x, int xOff, DeviceBuffer w, int wOff, int rows, int d, float eps,
                 DeviceBuffer out, DeviceBuffer invRms);

    void rmsNormBackwardX(DeviceBuffer x, int xOff, DeviceBuffer w, int wOff, DeviceBuffer g, int gOff,
                          DeviceBuffer invRms, int rows, int d, DeviceBuffer dx);

    /** dw (zeroed by the caller or holding values to add to) += Σ_rows g·x·invRms. */
    void rmsNormBackwardW(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer invRms,
                          int rows, int d, DeviceBuffer dw);

    /**
     * sum = x + delta, then out = rmsNorm(sum)·w over rows × d, x and delta contiguous from their
     * offsets, sum and out from 0: a residual add and the next layer's RMS norm. A device fuses
     * the two into one launch; here they run as the two ops. No invRms: inference only.
     */
    default void addRmsNorm(DeviceBuffer x, int xOff, DeviceBuffer delta, int deltaOff, DeviceBuffer w, int wOff,
                            int rows, int d, float eps, DeviceBuffer sum, DeviceBuffer out) {
        addRmsNorm(x, xOff, delta, deltaOff, w, wOff, rows, d, eps, 1f, sum, out);
    }

    /**
     * {@link #addRmsNorm} with out then multiplied by {@code outScale} (the tied lm_head's
     * d_model^-0.5 after the decoder's final norm): a device applies it as the norm writes out
     * (the same float product a scale after the norm makes); here it is a third op (none for 1).
     */
    default void addRmsNorm(DeviceBuffer x, int xOff, DeviceBuffer delta, int deltaOff, DeviceBuffer w, int wOff,
                            int rows, int d, float eps, float outScale, DeviceBuffer sum, DeviceBuffer out) {
        int[] shape = {rows * d}, unit = {1};
        binary(ADD, shape, x, xOff, unit, delta, deltaOff, unit, sum);
        try (DeviceBuffer invRms = allocateUninitialized(Math.max(1, rows))) {
            rmsNorm(sum, 0, w, wOff, rows, d, eps, out, invRms);
        }
        if (outScale != 1f) scale(out, 0, outScale, out, rows * d);
    }

    /**
     * C = relu(op(A)·op(B)), m × n from 0: a feed-forward's first product and its activation. A
     * device applies the ReLU as the GEMM writes C (one launch); here it runs as the two ops.
     */
    default void gemmRelu(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, int aOff,
                          DeviceBuffer b, int bOff, DeviceBuffer c) {
        gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, 0, false);
        relu(c, 0, c, m * n);
    }

    /**
     * C [m×n] from 0 = (rmsNorm(x)·outScale)·Wᵀ, through a ReLU when {@code relu}: the RMS norm of
     * x [m×k] at xOff by the scale {@code norm} [k] at normOff (as {@link #rmsNorm}), multiplied
     * by {@code outScale} (1: none; the tied lm_head's d_model^-0.5 after the final norm), then
     * the product with W [n×k] at wOff — a Linear after a pre-norm (a decode step's q|k|v, cross q,
     * feed-forward wi and lm_head). A device computes the norm inside the product (one launch, the
     * same bits as the norm then the product); here it runs as those ops. Inference only (no invRms).
     */
    default void rmsNormLinear(int m, int n, int k, DeviceBuffer x, int xOff, DeviceBuffer norm, int normOff, float eps,
                               float outScale, DeviceBuffer w, int wOff, boolean relu, DeviceBuffer c) {
        try (DeviceBuffer normed = allocateUninitialized(Math.max(1, m * k));
             DeviceBuffer invRms = allocateUninitialized(Math.max(1, m))) {
            rmsNorm(x, xOff, norm, normOff, m, k, eps, normed, invRms);
            if (outScale != 1f) scale(normed, 0, outScale, normed, m * k);
            if (relu) {
                gemmRelu(false, true, m, n, k, normed, 0, w, wOff, c);
            } else {
                gemm(false, true, m, n, k, normed, 0, w, wOff, c, 0, false);
            }
        }
    }

    /**
     * C [m×n] from 0 = residual + A·Wᵀ, A [m×k] at aOff, W [n×k] at wOff, residual [m×n] at rOff
     * (not overlapping C): a sublayer's output projection added to the residual stream, the float
     * add {@link #binary} ADD makes of residual + product. A device adds in the product's epilogue
     * (one launch); here it runs as the product and the add.
     */
    default void addLinear(int m, int n, int k, DeviceBuffer residual, int rOff, DeviceBuffer a, int aOff,
                           DeviceBuffer w, int wOff, DeviceBuffer c) {
        try (DeviceBuffer product = allocateUninitialized(Math.max(1, m * n))) {
            gemm(false, true, m, n, k, a, aOff, w, wOff, product, 0, false);
            int[] shape = {m * n}, unit = {1};
            binary(ADD, shape, residual, rOff, unit, product, 0, unit, c);
        }
    }

    /**
     * Attention of one new query per row over cached keys and values (incremental decoding),
     * fused: out[r, h·dKv + d] = Σ_p softmax_p(q·k_p + bias_p + mask_p)·v_p[d] over positions
     * 0..length-1, scores not scaled (T5 folds 1/sqrt(d_kv) into q). Layouts, offsets and strides
     * in floats, d_kv contiguous everywhere: query row r head h at queryOff + r·queryRowStride +
     * h·dKv; key p of row r, head h at keysOff + r·rowStride + p·posStride + h·dKv, values likewise
     * from valuesOff; headBias at biasOff + h·biasHeadStride + p·biasPosStride (any sign: a
     * decoder's bias by distance is read backwards), or null; mask [rows, ≥length] at maskOff +
     * r·maskRowStride + p, or null; out [rows, heads·dKv] from 0, overwritten. No gradient.
     */
    void decodeAttention(int rows, int heads, int dKv, int length, DeviceBuffer query, int queryOff, int queryRowStride,
                         DeviceBuffer keys, int keysOff, DeviceBuffer values, int valuesOff, int rowStride, int posStride,
                         DeviceBuffer headBias, int biasOff, int biasHeadStride, int biasPosStride,
                         DeviceBuffer mask, int maskOff, int maskRowStride, DeviceBuffer out);

    /**
     * {@link #decodeAttention} that first stores the newest position: when {@code newKv} is not
     * null, row r's keys at newKv[newKeysOff + r·newRowStride + (0..heads·dKv)] and its values at
     * newValuesOff likewise (a fused q|k|v projection's k and v) are written into position
     * length-1 of keys and values — the KV-cache write of an incremental decode — and the
     * attention reads that position as written. A device does the write in the attention's launch
     * (one launch instead of a copy and the attention, the same bits); this default copies, then
     * attends.
     */
    default void decodeAttention(int rows, int heads, int dKv, int length,
                                 DeviceBuffer newKv, int newKeysOff, int newValuesOff, int newRowStride,
                                 DeviceBuffer query, int queryOff, int queryRowStride,
                                 DeviceBuffer keys, int keysOff, DeviceBuffer values, int valuesOff, int rowStride, int posStride,
                                 DeviceBuffer headBias, int biasOff, int biasHeadStride, int biasPosStride,
                                 DeviceBuffer mask, int maskOff, int maskRowStride, DeviceBuffer out) {
        if (newKv != null) {
            int[] shape = {rows, heads * dKv}, from = {newRowStride, 1}, to = {rowStride, 1};
            int at = (length - 1) * posStride;
            copy(shape, newKv, newKeysOff, from, keys, keysOff + at, to);
            copy(shape, newKv, newValuesOff, from, values, valuesOff + at, to);
        }
        decodeAttention(rows, heads, dKv, length, query, queryOff, queryRowStride, keys, keysOff, values, valuesOff, rowStride,
                posStride, headBias, biasOff, biasHeadStride, biasPosStride, mask, maskOff, maskRowStride, out);
    }

    void gatherRows(DeviceBuffer table, int tableOff, int d, int[] ids, DeviceBuffer out);

    /** dst[ids[i], :] += src[i, :] in id order (deterministic). */
    void scatterAddRows(DeviceBuffer src, int srcOff, int d, int[] ids, DeviceBuffer dst);

    /**
     * Σ over counted rows of (1 − ε)(lse − z[label]) + ε·mean_v(lse − z[v]), ε = {@code smoothing}
     * (label smoothing; 0 = plain cross-entropy); lse[r] stored for the backward.
     */
    double crossEntropy(DeviceBuffer z, int zOff, int rows, int v, int[] labels, int ignoreIndex, float smoothing, DeviceBuffer lse);

    /** dz[r] = scale·(softmax(z[r]) − (1 − ε)·onehot(label) − ε/V) on counted rows, 0 on ignored ones. */
    void crossEntropyBackward(DeviceBuffer z, int zOff, int rows, int v, int[] labels, int ignoreIndex, float smoothing,
                              DeviceBuffer lse, float scale, DeviceBuffer dz);

    /**
     * Kernels this backend has enqueued so far, or -1 where launches are not a cost worth counting
     * (the CPU calls its kernels directly). Differences of two readings give per-step counts.
     */
    default long kernelLaunches() {
        return -1;
    }

    /** Waits for queued work (a no-op on the CPU). */
    void finish();

    @Override
    void close();
}
