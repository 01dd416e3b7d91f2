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
    static ResidualNorm addRmsNorm(Tensor x, Tensor delta, Tensor weight, float eps, float outScale) {
        Backend be = DeviceOps.backendOf(x, delta, weight);
        int rank = x.rank();
        if (!FUSE || be == null || Autograd.shouldRecord(x, delta, weight) || rank == 0 || !Arrays.equals(x.shape, delta.shape)
                || weight.rank() != 1 || weight.shape[0] != x.shape[rank - 1]) {
            Tensor sum = ElementwiseOps.add(x, delta);
            Tensor normed = ActivationOps.rmsNorm(sum, weight, eps);
            return new ResidualNorm(sum, outScale == 1f ? normed : ElementwiseOps.scale(normed, outScale));
        }
        Tensor xc = DeviceOps.contiguous(DeviceOps.on(be, x));
        Tensor dc = DeviceOps.contiguous(DeviceOps.on(be, delta));
        Tensor w = DeviceOps.contiguous(DeviceOps.on(be, weight));
        int d = x.shape[rank - 1];
        int rows = d == 0 ? 0 : xc.size() / d;
        Tensor sum = DeviceOps.empty(be, x.shape), normed = DeviceOps.empty(be, x.shape);
        if (rows > 0) {
            be.addRmsNorm(xc.buffer, xc.offset, dc.buffer, dc.offset, w.buffer, w.offset, rows, d, eps, outScale, sum.buffer,
                    normed.buffer);
        }
        return new ResidualNorm(sum, normed);
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
