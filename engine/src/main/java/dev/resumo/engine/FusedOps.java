package dev.resumo.engine;

import dev.resumo.engine.backend.Backend;
import java.util.Arrays;

/**
 * Ops that are two ops of {@link Ops} in a row, run as one backend call on a device when nothing
 * records a gradient: a device decode step is bound by its kernel launches (~5-10 µs each on a
 * GPU), and these pairs come once per sublayer. Everywhere else — host tensors, a tape recording
 * — they are exactly the two ops, so the CPU path and training are unchanged.
 */
final class FusedOps {
    private FusedOps() {}

    /**
     * Off with -Dresumo.fuse=false: every pair runs as its two ops (to measure the launches and time
     * saved); {@link KvCache} then writes a step's keys and values with a copy of its own.
     */
    static final boolean FUSE = Boolean.parseBoolean(System.getProperty("resumo.fuse", "true"));

    /** {@link Ops#addRmsNorm}. */
    static ResidualNorm addRmsNorm(Tensor x, Tensor delta, Tensor weight, float eps) {
        Backend be = DeviceOps.backendOf(x, delta, weight);
        int rank = x.rank();
        if (!FUSE || be == null || Autograd.shouldRecord(x, delta, weight) || rank == 0 || !Arrays.equals(x.shape, delta.shape)
                || weight.rank() != 1 || weight.shape[0] != x.shape[rank - 1]) {
            Tensor sum = ElementwiseOps.add(x, delta);
            Tensor normed = ActivationOps.rmsNorm(sum, weight, eps);
            return new ResidualNorm(sum, normed);
        }
        Tensor xc = DeviceOps.contiguous(DeviceOps.on(be, x));
        Tensor dc = DeviceOps.contiguous(DeviceOps.on(be, delta));
        Tensor w = DeviceOps.contiguous(DeviceOps.on(be, weight));
        int d = x.shape[rank - 1];
        int rows = d == 0 ? 0 : xc.size() / d;
        Tensor sum = DeviceOps.empty(be, x.shape), normed = DeviceOps.empty(be, x.shape);
        if (rows > 0) {
            be.addRmsNorm(xc.buffer, xc.offset, dc.buffer, dc.offset, w.buffer, w.offset, rows, d, eps, sum.buffer, normed.buffer);
        }
        return new ResidualNorm(sum, normed);
    }

    /**
     * {@link Ops#attentionQkv}. On a device with nothing recorded: one strided copy splits the heads
     * of q, k and v together ([B, S, 3, H, d] → [3, B, H, S, d]) where taking each third of the
     * projection apart made three (a transposed view is not what the batched GEMMs read), then the
     * composed attention's launches on those contiguous blocks (the same GEMMs on the same values).
     */
    static Tensor attentionQkv(Tensor qkv, Tensor bias, int heads, float rate, java.util.Random rng) {
        if (qkv.rank() != 3 || qkv.shape[2] % 3 != 0) {
            throw new IllegalArgumentException("attentionQkv: qkv must be [B, S, 3·heads·d] (q | k | v), got " + Shapes.str(qkv.shape));
        }
        int batch = qkv.shape[0], length = qkv.shape[1], inner = qkv.shape[2] / 3;
        if (heads < 1 || inner % heads != 0) {
            throw new IllegalArgumentException("attentionQkv: width " + inner + " is not a multiple of heads " + heads);
        }
        Backend be = bias == null ? DeviceOps.backendOf(qkv) : DeviceOps.backendOf(qkv, bias);
        if (!FUSE || be == null || (bias == null ? Autograd.shouldRecord(qkv) : Autograd.shouldRecord(qkv, bias))) {
            return AttentionOp.attention(IndexingOps.slice(qkv, 2, 0, inner), IndexingOps.slice(qkv, 2, inner, 2 * inner),
                    IndexingOps.slice(qkv, 2, 2 * inner, 3 * inner), bias, heads, rate, rng);
        }
        int d = inner / heads;
        Tensor x = DeviceOps.on(be, qkv);
        int[] split = {3, batch, heads, length, d};
        Tensor heads3 = DeviceOps.empty(be, split);
        if (heads3.size() > 0) {
            be.copy(split, x.buffer, x.offset, new int[] {inner * x.strides[2], x.strides[0], d * x.strides[2], x.strides[1], x.strides[2]},
                    heads3.buffer, 0, Shapes.contiguousStrides(split));
        }
        int[] one = {batch, heads, length, d}, oneStrides = Shapes.contiguousStrides(one);
        int block = batch * heads * length * d;
        Tensor q = heads3.view(one, oneStrides, 0), k = heads3.view(one, oneStrides.clone(), block);
        Tensor v = heads3.view(one, oneStrides.clone(), 2 * block);
        Tensor weights = ActivationOps.dropout(ActivationOps.softmax(MatmulOp.matmul(q, k, false, true), bias), rate, rng);
        Tensor context = MatmulOp.matmul(weights, v, false, false);
        return LayoutOps.reshape(LayoutOps.transpose(context, 1, 2), batch, length, inner);
    }

    /** {@link Ops#rmsNormLinear}, {@link Ops#rmsNormLinearRelu}. */
    static Tensor rmsNormLinear(Tensor x, Tensor norm, float eps, float outScale, Tensor weight, boolean relu) {
        Backend be = DeviceOps.backendOf(x, norm, weight);
        int rank = x.rank();
        if (!FUSE || be == null || Autograd.shouldRecord(x, norm, weight) || !isLinearWeight(weight, x)
                || norm.rank() != 1 || norm.shape[0] != x.shape[rank - 1] || x.shape[rank - 1] == 0) {
            Tensor normed = ActivationOps.rmsNorm(x, norm, eps);
            if (outScale != 1f) normed = ElementwiseOps.scale(normed, outScale);
            return relu ? linearRelu(normed, weight) : MatmulOp.matmul(normed, weight, false, true);
        }
        Tensor xc = DeviceOps.contiguous(DeviceOps.on(be, x));
        Tensor w = DeviceOps.contiguous(DeviceOps.on(be, norm));
        int k = weight.shape[1], n = weight.shape[0];
        int m = xc.size() / k;
        Tensor out = DeviceOps.empty(be, linearShape(x, n));
        // The norm over the rows DeviceMatmul folds the batch into, the product it runs for
        // matmul(normed, weight, false, true): the same kernels' sums as the unfused ops.
        if (m > 0 && n > 0) {
            be.rmsNormLinear(m, n, k, xc.buffer, xc.offset, w.buffer, w.offset, eps, outScale, weight.buffer, weight.offset,
                    relu, out.buffer);
        }
        return out;
    }

    /** {@link Ops#addLinear}. */
    static Tensor addLinear(Tensor residual, Tensor x, Tensor weight) {
        Backend be = DeviceOps.backendOf(residual, x, weight);
        if (!FUSE || be == null || Autograd.shouldRecord(residual, x, weight) || !isLinearWeight(weight, x)
                || !Arrays.equals(residual.shape, linearShape(x, weight.shape[0]))) {
            return ElementwiseOps.add(residual, MatmulOp.matmul(x, weight, false, true));
        }
        Tensor xc = DeviceOps.contiguous(DeviceOps.on(be, x));
        Tensor rc = DeviceOps.contiguous(DeviceOps.on(be, residual));
        int k = weight.shape[1], n = weight.shape[0];
        int m = n == 0 ? 0 : rc.size() / n;
        Tensor out = DeviceOps.empty(be, residual.shape);
        if (m > 0 && n > 0) be.addLinear(m, n, k, rc.buffer, rc.offset, xc.buffer, xc.offset, weight.buffer, weight.offset, out.buffer);
        return out;
    }

    /** A Linear weight [out, in] on the device, contiguous, whose in is x's last dim (rank ≥ 2: rows × features). */
    private static boolean isLinearWeight(Tensor weight, Tensor x) {
        int rank = x.rank();
        return rank >= 2 && weight.rank() == 2 && weight.isOnDevice() && weight.isContiguous() && weight.shape[1] == x.shape[rank - 1];
    }

    /** x's shape with the last dim n (a Linear's output). */
    private static int[] linearShape(Tensor x, int n) {
        int[] shape = x.shape.clone();
        shape[shape.length - 1] = n;
        return shape;
    }

    /** {@link Ops#linearRelu}. */
    static Tensor linearRelu(Tensor x, Tensor weight) {
        Backend be = DeviceOps.backendOf(x, weight);
        int rank = x.rank();
        if (!FUSE || be == null || Autograd.shouldRecord(x, weight) || rank < 2 || weight.rank() != 2 || !weight.isOnDevice()
                || !weight.isContiguous() || weight.shape[1] != x.shape[rank - 1]) {
            return ActivationOps.relu(MatmulOp.matmul(x, weight, false, true));
        }
        Tensor xc = DeviceOps.contiguous(DeviceOps.on(be, x));
        int k = weight.shape[1], n = weight.shape[0];
        int m = k == 0 ? 0 : xc.size() / k;
        int[] outShape = x.shape.clone();
        outShape[rank - 1] = n;
        Tensor out = DeviceOps.empty(be, outShape);
        // The product DeviceMatmul runs for matmul(x, weight, false, true) (the batch folded into m
        // rows, B transposed), so the GEMM kernel and its sums are the same as the unfused pair's.
        if (m > 0 && n > 0) be.gemmRelu(false, true, m, n, k, xc.buffer, xc.offset, weight.buffer, weight.offset, out.buffer);
        return out;
    }
}
