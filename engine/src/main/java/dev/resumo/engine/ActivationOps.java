package dev.resumo.engine;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.cpu.DropoutMasks;
import dev.resumo.engine.cpu.ElementwiseKernels;
import dev.resumo.engine.cpu.NormKernels;
import dev.resumo.engine.cpu.SoftmaxKernels;
import java.util.Arrays;
import java.util.Random;

/**
 * ReLU, GELU (tanh and exact), SiLU, masked softmax, RMS norm and dropout. Outputs and input gradients come from
 * {@link StepBuffers#uninitialized}: every kernel here writes each element of them (dw of the RMS
 * norm is summed into, so it stays a zeroed array). Those arrays may be longer than the tensor
 * (size classes): kernels get the tensor's size, never an array's length.
 */
final class ActivationOps {
    private ActivationOps() {}

    static Tensor relu(Tensor a) {
        if (a.isOnDevice()) return DeviceOps.relu(a);
        Tensor x = a.contiguous();
        float[] out = StepBuffers.uninitialized(x.size());
        ElementwiseKernels.relu(x.data, x.offset, out, x.size());
        Tensor result = Tensor.fresh(out, x.shape.clone());
        if (!Autograd.shouldRecord(x)) return result;
        return Tape.record(result, "relu", g -> {
            Tensor gc = g.contiguous();
            float[] dx = StepBuffers.uninitialized(x.size());
            ElementwiseKernels.reluBackward(x.data, x.offset, gc.data, gc.offset, dx, x.size());
            x.accumulateFreshGrad(Tensor.fresh(dx, x.shape.clone()));
        }, x);
    }

    static Tensor gelu(Tensor a) {
        if (a.isOnDevice()) return DeviceOps.gelu(a);
        Tensor x = a.contiguous();
        float[] out = StepBuffers.uninitialized(x.size());
        ElementwiseKernels.gelu(x.data, x.offset, out, x.size());
        Tensor result = Tensor.fresh(out, x.shape.clone());
        if (!Autograd.shouldRecord(x)) return result;
        return Tape.record(result, "gelu", g -> {
            Tensor gc = g.contiguous();
            float[] dx = StepBuffers.uninitialized(x.size());
            ElementwiseKernels.geluBackward(x.data, x.offset, gc.data, gc.offset, dx, x.size());
            x.accumulateFreshGrad(Tensor.fresh(dx, x.shape.clone()));
        }, x);
    }

    /** Exact GELU, x·Φ(x) (HF "gelu"). */
    static Tensor geluErf(Tensor a) {
        if (a.isOnDevice()) return DeviceOps.pointwise(a, "geluErf", Backend::geluErf, Backend::geluErfBackward);
        return pointwise(a, "geluErf", ElementwiseKernels::geluErf, ElementwiseKernels::geluErfBackward);
    }

    /** SiLU / swish, x·σ(x). */
    static Tensor silu(Tensor a) {
        if (a.isOnDevice()) return DeviceOps.pointwise(a, "silu", Backend::silu, Backend::siluBackward);
        return pointwise(a, "silu", ElementwiseKernels::silu, ElementwiseKernels::siluBackward);
    }

    /** out[i] = f(x[i]) over n elements. */
    @FunctionalInterface
    interface HostForward {
        void apply(float[] x, int xOff, float[] out, int n);
    }

    /** dx[i] = f'(x[i]) · g[i] over n elements. */
    @FunctionalInterface
    interface HostBackward {
        void apply(float[] x, int xOff, float[] g, int gOff, float[] dx, int n);
    }

    /** A pointwise activation on the host, its gradient taken from its input (as relu and gelu above). */
    private static Tensor pointwise(Tensor a, String name, HostForward forward, HostBackward backward) {
        Tensor x = a.contiguous();
        float[] out = StepBuffers.uninitialized(x.size());
        forward.apply(x.data, x.offset, out, x.size());
        Tensor result = Tensor.fresh(out, x.shape.clone());
        if (!Autograd.shouldRecord(x)) return result;
        return Tape.record(result, name, g -> {
            Tensor gc = g.contiguous();
            float[] dx = StepBuffers.uninitialized(x.size());
            backward.apply(x.data, x.offset, gc.data, gc.offset, dx, x.size());
            x.accumulateFreshGrad(Tensor.fresh(dx, x.shape.clone()));
        }, x);
    }

    static Tensor softmax(Tensor x, Tensor mask) {
        if (x.rank() == 0) throw new IllegalArgumentException("softmax: needs rank >= 1, got a scalar");
        if (x.isOnDevice()) return DeviceOps.softmax(x, mask);
        float[] z = StepBuffers.uninitialized(x.size());
        int n = x.shape[x.rank() - 1];
        int rows = n == 0 ? 0 : x.size() / n;
        if (mask != null && fusedBias(x, mask)) {
            int[] lead = Arrays.copyOf(x.shape, x.rank() - 1);
            int[] strides = Shapes.broadcastStrides(mask.shape, mask.strides, x.shape);
            SoftmaxKernels.softmaxRowsBiased(x.data, x.offset, mask.data, mask.offset, lead,
                    Arrays.copyOf(strides, x.rank() - 1), z, rows, n);
        } else if (mask == null) {
            ElementwiseKernels.copy(x.shape, x.data, x.offset, x.strides, z, 0);
            SoftmaxKernels.softmaxRows(z, rows, n);
        } else {
            int[] shape = Shapes.broadcast("softmax", x.shape, mask.shape);
            if (!Arrays.equals(shape, x.shape)) {
                throw new IllegalArgumentException("softmax: mask " + Shapes.str(mask.shape)
                        + " does not broadcast to x " + Shapes.str(x.shape));
            }
            ElementwiseKernels.binary(ElementwiseKernels.ADD, shape,
                    x.data, x.offset, x.strides, mask.data, mask.offset,
                    Shapes.broadcastStrides(mask.shape, mask.strides, shape), z);
            SoftmaxKernels.softmaxRows(z, rows, n);
        }
        Tensor y = Tensor.fresh(z, x.shape.clone());
        if (!Autograd.shouldRecord(x, mask)) return y;
        return Tape.record(y, "softmax", g -> {
            Tensor gc = g.contiguous();
            float[] dz = StepBuffers.uninitialized(x.size());
            SoftmaxKernels.softmaxBackwardRows(z, gc.data, gc.offset, dz, rows, n);
            Tensor dzT = Tensor.fresh(dz, x.shape.clone());
            if (x.requiresGrad()) x.accumulateGrad(dzT);
            if (mask != null && mask.requiresGrad()) mask.accumulateGrad(ElementwiseOps.sumTo(dzT, mask.shape));
        }, mask == null ? new Tensor[] {x} : new Tensor[] {x, mask});
    }

    /** The fused bias path applies: x contiguous, same rank, mask broadcasts to x along the leading dims only. */
    private static boolean fusedBias(Tensor x, Tensor mask) {
        int r = x.rank();
        if (!x.isContiguous() || mask.rank() != r || r == 0) return false;
        if (mask.shape[r - 1] != x.shape[r - 1] || mask.strides[r - 1] != 1) return false;
        for (int d = 0; d < r - 1; d++) {
            if (mask.shape[d] != x.shape[d] && mask.shape[d] != 1) return false;
        }
        return true;
    }

    static Tensor rmsNorm(Tensor input, Tensor weight, float eps) {
        int d = input.rank() == 0 ? -1 : input.shape[input.rank() - 1];
        if (weight.rank() != 1 || weight.shape[0] != d) {
            throw new IllegalArgumentException("rmsNorm: weight " + Shapes.str(weight.shape)
                    + " must be [" + d + "] to match the last dim of x " + Shapes.str(input.shape));
        }
        if (input.isOnDevice()) return DeviceOps.rmsNorm(input, weight, eps);
        Tensor x = input.contiguous();
        Tensor w = weight.contiguous();
        int rows = d == 0 ? 0 : x.size() / d;
        boolean record = Autograd.shouldRecord(x, w);
        float[] invRms = record ? new float[rows] : null;
        float[] out = StepBuffers.uninitialized(x.size());
        NormKernels.rmsNorm(x.data, x.offset, w.data, w.offset, rows, d, eps, out, invRms);
        Tensor result = Tensor.fresh(out, x.shape.clone());
        if (!record) return result;
        return Tape.record(result, "rmsNorm", g -> {
            Tensor gc = g.contiguous();
            float[] dx = x.requiresGrad() ? StepBuffers.uninitialized(x.size()) : null;
            float[] dw = w.requiresGrad() ? new float[d] : null;
            float[] partials = dw == null ? null : StepBuffers.zeroed(NormKernels.wPartialsLength(rows, d));
            NormKernels.rmsNormBackward(x.data, x.offset, w.data, w.offset, gc.data, gc.offset, invRms, rows, d, dx, dw,
                    partials);
            StepBuffers.releaseNow(partials); // summed into dw: the rest of the step may reuse it
            if (dx != null) x.accumulateFreshGrad(Tensor.fresh(dx, x.shape.clone()));
            if (dw != null) w.accumulateFreshGrad(Tensor.fresh(dw, w.shape.clone()));
        }, x, w);
    }

    /**
     * Inverted dropout: kept values are scaled by 1/(1-p); the mask comes from one rng.nextLong()
     * (see {@link DropoutMasks}: reproducible, the same for any thread count). p == 0 returns x
     * itself and draws nothing; p == 1 gives zeros.
     */
    static Tensor dropout(Tensor a, float p, Random rng) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
        if (p == 0f) return a;
        if (a.isOnDevice()) return DeviceOps.dropout(a, p, rng);
        Tensor x = a.contiguous();
        int n = x.size();
        byte[] mask = DropoutMasks.keepMask(n, p, rng);
        float scale = DropoutMasks.keepScale(p);
        float[] out = StepBuffers.uninitialized(n);
        DropoutMasks.applyParallel(x.data, x.offset, mask, scale, out, n);
        Tensor result = Tensor.fresh(out, x.shape.clone());
        if (!Autograd.shouldRecord(x)) return result;
        return Tape.record(result, "dropout", g -> {
            Tensor gc = g.contiguous();
            float[] dx = StepBuffers.uninitialized(n);
            DropoutMasks.applyParallel(gc.data, gc.offset, mask, scale, dx, n);
            StepBuffers.releaseNow(mask); // read by this backward only, which runs once
            x.accumulateFreshGrad(Tensor.fresh(dx, x.shape.clone()));
        }, x);
    }
}
