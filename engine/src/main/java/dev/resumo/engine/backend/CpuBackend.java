package dev.resumo.engine.backend;

import dev.resumo.engine.cpu.DecodeAttention;
import dev.resumo.engine.cpu.ElementwiseKernels;
import dev.resumo.engine.cpu.Gemm;
import dev.resumo.engine.cpu.IndexKernels;
import dev.resumo.engine.cpu.NormKernels;
import dev.resumo.engine.cpu.ReduceKernels;
import dev.resumo.engine.cpu.SoftmaxKernels;
import java.util.Arrays;

/** The op set on Java arrays, delegating to the Vector API kernels in {@code engine.cpu}. */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    /** A float[] as a backend buffer. */
    public record Array(float[] data) implements DeviceBuffer {
        @Override
        public long size() {
            return data.length;
        }

        @Override
        public void close() {}
    }

    private CpuBackend() {}

    private static float[] a(DeviceBuffer b) {
        return ((Array) b).data;
    }

    @Override public String name() { return "cpu"; }

    @Override public DeviceBuffer allocate(int n) { return new Array(new float[n]); }

    @Override public DeviceBuffer upload(float[] data) { return new Array(data.clone()); }

    @Override public float[] download(DeviceBuffer b, int off, int n) { return Arrays.copyOfRange(a(b), off, off + n); }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, int aOff,
                     DeviceBuffer b, int bOff, DeviceBuffer c, int cOff, boolean accumulate) {
        Gemm.gemm(transA, transB, m, n, k, a(a), aOff, a(b), bOff, a(c), cOff, accumulate);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, int[] aOffsets,
                            DeviceBuffer b, int[] bOffsets, DeviceBuffer c, int cOff, boolean accumulate) {
        for (int t = 0; t < aOffsets.length; t++) {
            Gemm.gemm(transA, transB, m, n, k, a(a), aOffsets[t], a(b), bOffsets[t], a(c), cOff + t * m * n, accumulate);
        }
    }

    @Override
    public void binary(int op, int[] shape, DeviceBuffer a, int aOff, int[] aStrides, DeviceBuffer b, int bOff,
                       int[] bStrides, DeviceBuffer out) {
        ElementwiseKernels.binary(op, shape, a(a), aOff, aStrides, a(b), bOff, bStrides, a(out));
    }

    @Override
    public void copy(int[] shape, DeviceBuffer src, int srcOff, int[] srcStrides, DeviceBuffer dst, int dstOff, int[] dstStrides) {
        ElementwiseKernels.copy(shape, a(src), srcOff, srcStrides, a(dst), dstOff, dstStrides);
    }

    @Override
    public void sumTo(int[] gShape, DeviceBuffer g, int[] dstShape, DeviceBuffer dst) {
        float[] out = a(dst);
        Arrays.fill(out, 0, (int) Math.min(out.length, BackendShapes.size(dstShape)), 0f);
        ElementwiseKernels.sumInto(gShape, a(g), out, BackendShapes.reduceStrides(gShape, dstShape));
    }

    @Override public void scale(DeviceBuffer x, int xOff, float s, DeviceBuffer out, int n) { ElementwiseKernels.scale(a(x), xOff, s, a(out), n); }

    @Override
    public void addInto(DeviceBuffer dst, int dstOff, DeviceBuffer src, int srcOff, int n) {
        float[] d = a(dst), s = a(src);
        for (int i = 0; i < n; i++) d[dstOff + i] += s[srcOff + i];
    }

    @Override public void relu(DeviceBuffer x, int xOff, DeviceBuffer out, int n) { ElementwiseKernels.relu(a(x), xOff, a(out), n); }

    @Override
    public void reluBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n) {
        ElementwiseKernels.reluBackward(a(x), xOff, a(g), gOff, a(dx), n);
    }

    @Override public void gelu(DeviceBuffer x, int xOff, DeviceBuffer out, int n) { ElementwiseKernels.gelu(a(x), xOff, a(out), n); }

    @Override
    public void geluBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n) {
        ElementwiseKernels.geluBackward(a(x), xOff, a(g), gOff, a(dx), n);
    }

    @Override public void geluErf(DeviceBuffer x, int xOff, DeviceBuffer out, int n) { ElementwiseKernels.geluErf(a(x), xOff, a(out), n); }

    @Override
    public void geluErfBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n) {
        ElementwiseKernels.geluErfBackward(a(x), xOff, a(g), gOff, a(dx), n);
    }

    @Override public void silu(DeviceBuffer x, int xOff, DeviceBuffer out, int n) { ElementwiseKernels.silu(a(x), xOff, a(out), n); }

    @Override
    public void siluBackward(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n) {
        ElementwiseKernels.siluBackward(a(x), xOff, a(g), gOff, a(dx), n);
    }

    @Override public double sumAll(DeviceBuffer x, int off, int n) { return ReduceKernels.sumAll(a(x), off, n); }

    @Override
    public double sumSquares(DeviceBuffer x, int off, int n) {
        float[] d = a(x);
        double ss = 0;
        for (int j = 0; j < n; j++) ss += (double) d[off + j] * d[off + j];
        return ss;
    }

    @Override
    public void sumAxis(DeviceBuffer x, int off, int outer, int len, int inner, DeviceBuffer out) {
        ReduceKernels.sumAxis(a(x), off, outer, len, inner, a(out));
    }

    @Override public void softmaxRows(DeviceBuffer z, int rows, int n) { SoftmaxKernels.softmaxRows(a(z), rows, n); }

    @Override
    public void softmaxBackwardRows(DeviceBuffer y, DeviceBuffer g, int gOff, DeviceBuffer dz, int rows, int n) {
        SoftmaxKernels.softmaxBackwardRows(a(y), a(g), gOff, a(dz), rows, n);
    }

    @Override
    public void rmsNorm(DeviceBuffer x, int xOff, DeviceBuffer w, int wOff, int rows, int d, float eps,
                        DeviceBuffer out, DeviceBuffer invRms) {
        NormKernels.rmsNorm(a(x), xOff, a(w), wOff, rows, d, eps, a(out), a(invRms));
    }

    @Override
    public void rmsNormBackwardX(DeviceBuffer x, int xOff, DeviceBuffer w, int wOff, DeviceBuffer g, int gOff,
                                 DeviceBuffer invRms, int rows, int d, DeviceBuffer dx) {
        NormKernels.rmsNormBackwardX(a(x), xOff, a(w), wOff, a(g), gOff, a(invRms), rows, d, a(dx));
    }

    @Override
    public void rmsNormBackwardW(DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer invRms,
                                 int rows, int d, DeviceBuffer dw) {
        NormKernels.rmsNormBackwardW(a(x), xOff, a(g), gOff, a(invRms), rows, d, a(dw));
    }

    /**
     * {@link DecodeAttention}, the host decode's kernel. It reads queries [rows, heads·dKv] packed
     * and a bias with unit position stride, so other layouts (a fused q|k|v projection, a bias by
     * distance read backwards) are gathered into small packed copies first.
     */
    @Override
    public void decodeAttention(int rows, int heads, int dKv, int length, DeviceBuffer query, int queryOff, int queryRowStride,
                                DeviceBuffer keys, int keysOff, DeviceBuffer values, int valuesOff, int rowStride, int posStride,
                                DeviceBuffer headBias, int biasOff, int biasHeadStride, int biasPosStride,
                                DeviceBuffer mask, int maskOff, int maskRowStride, DeviceBuffer out) {
        int inner = heads * dKv;
        float[] q = a(query);
        int qOff = queryOff;
        if (queryRowStride != inner && rows > 1) {
            q = new float[rows * inner];
            for (int r = 0; r < rows; r++) System.arraycopy(a(query), queryOff + r * queryRowStride, q, r * inner, inner);
            qOff = 0;
        }
        float[] bias = headBias == null ? null : a(headBias);
        int bOff = biasOff, bStride = biasHeadStride;
        if (bias != null && biasPosStride != 1) {
            bias = new float[heads * length];
            for (int h = 0; h < heads; h++) {
                for (int p = 0; p < length; p++) bias[h * length + p] = a(headBias)[biasOff + h * biasHeadStride + p * biasPosStride];
            }
            bOff = 0;
            bStride = length;
        }
        DecodeAttention.KvLayout kv = new DecodeAttention.KvLayout(a(keys), a(values), keysOff, valuesOff, rowStride,
                posStride, null, 0);
        DecodeAttention.attend(rows, heads, dKv, length, q, qOff, kv, bias, bOff, bStride,
                mask == null ? null : a(mask), maskOff, maskRowStride, a(out), 0);
    }

    @Override
    public void gatherRows(DeviceBuffer table, int tableOff, int d, int[] ids, DeviceBuffer out) {
        IndexKernels.gatherRows(a(table), tableOff, d, ids, a(out));
    }

    @Override
    public void scatterAddRows(DeviceBuffer src, int srcOff, int d, int[] ids, DeviceBuffer dst) {
        IndexKernels.scatterAddRows(a(src), srcOff, d, ids, a(dst));
    }

    @Override
    public double crossEntropy(DeviceBuffer z, int zOff, int rows, int v, int[] labels, int ignoreIndex, float smoothing, DeviceBuffer lse) {
        return SoftmaxKernels.crossEntropy(a(z), zOff, rows, v, labels, ignoreIndex, smoothing, a(lse));
    }

    @Override
    public void crossEntropyBackward(DeviceBuffer z, int zOff, int rows, int v, int[] labels, int ignoreIndex, float smoothing,
                                     DeviceBuffer lse, float scale, DeviceBuffer dz) {
        SoftmaxKernels.crossEntropyBackward(a(z), zOff, rows, v, labels, ignoreIndex, smoothing, a(lse), scale, a(dz));
    }

    @Override public void finish() {}

    @Override public void close() {}

}
