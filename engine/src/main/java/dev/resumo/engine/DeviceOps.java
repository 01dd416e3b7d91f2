package dev.resumo.engine;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.DeviceBuffer;
import dev.resumo.engine.cpu.DropoutMasks;
import java.util.Arrays;
import java.util.Random;

/**
 * The ops of {@link Ops} for tensors resident on a device backend, with the same autograd
 * recording as the host versions. The host op classes dispatch here once per op when an input
 * lives on a device, so the CPU path is untouched. A host input mixed with device inputs (an
 * attention mask built on the host) is uploaded for that op; a host input that needs a gradient
 * cannot be mixed in (its gradient would have to come back to the host), which is an error.
 */
final class DeviceOps {
    private DeviceOps() {}

    // ---- storage helpers ----

    static Backend backendOf(Tensor... ts) {
        Backend be = null;
        for (Tensor t : ts) {
            if (t == null || t.backend == null) continue;
            if (be != null && be != t.backend) {
                throw new IllegalArgumentException("tensors live on different devices: " + be.name() + " and " + t.backend.name());
            }
            be = t.backend;
        }
        return be;
    }

    /** t on backend be: itself, or an upload of a host constant. */
    static Tensor on(Backend be, Tensor t) {
        if (t == null || t.backend == be) return t;
        if (t.backend != null) {
            throw new IllegalArgumentException("tensor lives on " + t.backend.name() + ", expected " + be.name());
        }
        if (t.requiresGrad() && Autograd.isGradEnabled()) {
            throw new IllegalArgumentException("a host tensor " + Shapes.str(t.shape) + " that requires a gradient is mixed "
                    + "with device tensors on " + be.name() + "; move it with to(backend) first");
        }
        return t.to(be);
    }

    /** A zeroed tensor: for ops that add into their output or write only part of it. */
    static Tensor zeros(Backend be, int[] shape) {
        return Tensor.fresh(be, be.allocate(Shapes.size(shape)), shape.clone());
    }

    /**
     * A tensor with undefined contents, for an op that writes every element: on a GPU the zero
     * fill was a launch per op (17 per generated token, ~14% of greedy batch-8 kernel time).
     */
    static Tensor empty(Backend be, int[] shape) {
        return Tensor.fresh(be, be.allocateUninitialized(Shapes.size(shape)), shape.clone());
    }

    /** Contiguous from offset 0 (copies when needed; never recorded). */
    static Tensor dense(Tensor t) {
        if (t.isContiguous() && t.offset == 0) return t;
        Tensor out = empty(t.backend, t.shape);
        t.backend.copy(t.shape, t.buffer, t.offset, t.strides, out.buffer, 0, Shapes.contiguousStrides(t.shape));
        return out;
    }

    /** Contiguous (any offset; copies when needed; never recorded). */
    static Tensor contiguous(Tensor t) {
        return t.isContiguous() ? t : dense(t);
    }

    static float[] download(Tensor t) {
        Tensor c = contiguous(t);
        return t.backend.download(c.buffer, c.offset, c.size());
    }

    /** Gradient accumulation (see Tensor.accumulateGrad): a leaf owns a dense buffer it adds into. */
    static Tensor accumulate(Tensor t, Tensor grad, Tensor g) {
        Backend be = t.backend != null ? t.backend : g.backend;
        g = on(be, g);
        if (t.node == null) {
            if (grad == null) {
                Tensor own = empty(be, t.shape);
                be.copy(g.shape, g.buffer, g.offset, g.strides, own.buffer, 0, Shapes.contiguousStrides(g.shape));
                return own;
            }
            Tensor sum = grad.isContiguous() && grad.offset == 0 && grad.backend == be ? grad : dense(on(be, grad));
            Tensor gc = contiguous(g);
            be.addInto(sum.buffer, 0, gc.buffer, gc.offset, gc.size());
            return sum;
        }
        return grad == null ? g : ElementwiseOps.add(grad, g);
    }

    // ---- layout ----

    static Tensor copy(Tensor a) {
        Tensor result = denseCopy(a);
        if (!Autograd.shouldRecord(a)) return result;
        return Tape.record(result, "contiguous", a::accumulateGrad, a);
    }

    private static Tensor denseCopy(Tensor a) {
        Tensor out = empty(a.backend, a.shape);
        a.backend.copy(a.shape, a.buffer, a.offset, a.strides, out.buffer, 0, Shapes.contiguousStrides(a.shape));
        return out;
    }

    // ---- elementwise ----

    static Tensor binary(int op, int[] shape, Tensor a, Tensor b) {
        Backend be = backendOf(a, b);
        a = on(be, a);
        b = on(be, b);
        Tensor out = empty(be, shape);
        be.binary(op, shape, a.buffer, a.offset, Shapes.broadcastStrides(a.shape, a.strides, shape),
                b.buffer, b.offset, Shapes.broadcastStrides(b.shape, b.strides, shape), out.buffer);
        return out;
    }

    static Tensor scale(Tensor a, float s) {
        Tensor x = contiguous(a);
        Tensor out = empty(x.backend, x.shape);
        x.backend.scale(x.buffer, x.offset, s, out.buffer, x.size());
        if (!Autograd.shouldRecord(a)) return out;
        return Tape.record(out, "scale", g -> a.accumulateFreshGrad(scale(g, s)), a);
    }

    static Tensor sumTo(Tensor g, int[] shape) {
        Tensor gd = dense(g);
        Tensor out = empty(g.backend, shape);
        g.backend.sumTo(gd.shape, gd.buffer, shape, out.buffer);
        return out;
    }

    // ---- reductions ----

    static Tensor sum(Tensor a) {
        Tensor x = contiguous(a);
        float total = (float) x.backend.sumAll(x.buffer, x.offset, x.size());
        Tensor out = Tensor.fresh(x.backend, x.backend.upload(new float[] {total}), new int[0]);
        if (!Autograd.shouldRecord(a)) return out;
        return Tape.record(out, "sum", g -> a.accumulateGrad(LayoutOps.expand(g, a.shape)), a);
    }

    static Tensor sum(Tensor a, int ax, boolean keepDim) {
        Tensor x = contiguous(a);
        int outer = Shapes.product(x.shape, 0, ax), len = x.shape[ax], inner = Shapes.product(x.shape, ax + 1, x.rank());
        int[] outShape = Shapes.withoutAxis(x.shape, ax, keepDim);
        Tensor out = empty(x.backend, outShape);
        x.backend.sumAxis(x.buffer, x.offset, outer, len, inner, out.buffer);
        if (!Autograd.shouldRecord(a)) return out;
        int[] kept = Shapes.withoutAxis(x.shape, ax, true);
        return Tape.record(out, "sum(axis)", g -> {
            Tensor gc = contiguous(g);
            a.accumulateGrad(LayoutOps.expand(gc.view(kept, Shapes.contiguousStrides(kept), gc.offset), a.shape));
        }, a);
    }

    // ---- activations ----

    static Tensor relu(Tensor a) {
        Tensor x = contiguous(a);
        Backend be = x.backend;
        Tensor out = empty(be, x.shape);
        be.relu(x.buffer, x.offset, out.buffer, x.size());
        if (!Autograd.shouldRecord(a)) return out;
        return Tape.record(out, "relu", g -> {
            Tensor gc = contiguous(g);
            Tensor dx = empty(be, x.shape);
            be.reluBackward(x.buffer, x.offset, gc.buffer, gc.offset, dx.buffer, x.size());
            a.accumulateFreshGrad(dx);
        }, a);
    }

    static Tensor gelu(Tensor a) {
        Tensor x = contiguous(a);
        Backend be = x.backend;
        Tensor out = empty(be, x.shape);
        be.gelu(x.buffer, x.offset, out.buffer, x.size());
        if (!Autograd.shouldRecord(a)) return out;
        return Tape.record(out, "gelu", g -> {
            Tensor gc = contiguous(g);
            Tensor dx = empty(be, x.shape);
            be.geluBackward(x.buffer, x.offset, gc.buffer, gc.offset, dx.buffer, x.size());
            a.accumulateFreshGrad(dx);
        }, a);
    }

    /** out[i] = f(x[i]) on a backend. */
    @FunctionalInterface
    interface DeviceForward {
        void apply(Backend be, DeviceBuffer x, int xOff, DeviceBuffer out, int n);
    }

    /** dx[i] = f'(x[i]) · g[i] on a backend. */
    @FunctionalInterface
    interface DeviceBackward {
        void apply(Backend be, DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n);
    }

    /** A pointwise activation on a device, its gradient taken from its input (as relu and gelu above). */
    static Tensor pointwise(Tensor a, String name, DeviceForward forward, DeviceBackward backward) {
        Tensor x = contiguous(a);
        Backend be = x.backend;
        Tensor out = empty(be, x.shape);
        forward.apply(be, x.buffer, x.offset, out.buffer, x.size());
        if (!Autograd.shouldRecord(a)) return out;
        return Tape.record(out, name, g -> {
            Tensor gc = contiguous(g);
            Tensor dx = empty(be, x.shape);
            backward.apply(be, x.buffer, x.offset, gc.buffer, gc.offset, dx.buffer, x.size());
            a.accumulateFreshGrad(dx);
        }, a);
    }

    static Tensor softmax(Tensor x, Tensor maskIn) {
        Backend be = x.backend;
        Tensor mask = on(be, maskIn);
        Tensor z = empty(be, x.shape);
        if (mask == null) {
            be.copy(x.shape, x.buffer, x.offset, x.strides, z.buffer, 0, Shapes.contiguousStrides(x.shape));
        } else {
            int[] shape = Shapes.broadcast("softmax", x.shape, mask.shape);
            if (!Arrays.equals(shape, x.shape)) {
                throw new IllegalArgumentException("softmax: mask " + Shapes.str(mask.shape)
                        + " does not broadcast to x " + Shapes.str(x.shape));
            }
            be.binary(Backend.ADD, shape, x.buffer, x.offset, x.strides, mask.buffer, mask.offset,
                    Shapes.broadcastStrides(mask.shape, mask.strides, shape), z.buffer);
        }
        int n = x.shape[x.rank() - 1];
        int rows = n == 0 ? 0 : x.size() / n;
        if (rows > 0) be.softmaxRows(z.buffer, rows, n);
        if (!Autograd.shouldRecord(x, maskIn)) return z;
        return Tape.record(z, "softmax", g -> {
            Tensor gc = contiguous(g);
            Tensor dz = empty(be, x.shape);
            if (rows > 0) be.softmaxBackwardRows(z.buffer, gc.buffer, gc.offset, dz.buffer, rows, n);
            if (x.requiresGrad()) x.accumulateGrad(dz);
            if (maskIn != null && maskIn.requiresGrad()) maskIn.accumulateGrad(ElementwiseOps.sumTo(dz, maskIn.shape));
        }, maskIn == null ? new Tensor[] {x} : new Tensor[] {x, maskIn});
    }

    static Tensor rmsNorm(Tensor input, Tensor weight, float eps) {
        Backend be = input.backend;
        Tensor x = contiguous(input);
        Tensor w = contiguous(on(be, weight));
        int d = x.shape[x.rank() - 1];
        int rows = d == 0 ? 0 : x.size() / d;
        Tensor out = empty(be, x.shape);
        DeviceBuffer invRms = be.allocateUninitialized(Math.max(1, rows));
        if (rows > 0) be.rmsNorm(x.buffer, x.offset, w.buffer, w.offset, rows, d, eps, out.buffer, invRms);
        if (!Autograd.shouldRecord(input, weight)) return out;
        return Tape.record(out, "rmsNorm", g -> {
            Tensor gc = contiguous(g);
            if (input.requiresGrad()) {
                Tensor dx = empty(be, x.shape);
                be.rmsNormBackwardX(x.buffer, x.offset, w.buffer, w.offset, gc.buffer, gc.offset, invRms, rows, d, dx.buffer);
                input.accumulateFreshGrad(dx);
            }
            if (weight.requiresGrad()) {
                Tensor dw = zeros(be, w.shape); // rmsNormBackwardW adds into dw
                be.rmsNormBackwardW(x.buffer, x.offset, gc.buffer, gc.offset, invRms, rows, d, dw.buffer);
                weight.accumulateFreshGrad(dw);
            }
        }, input, weight);
    }

    /** Same mask as the host dropout (DropoutMasks, one rng.nextLong()); the mask is uploaded. */
    static Tensor dropout(Tensor a, float p, Random rng) {
        int n = a.size();
        float[] m = DropoutMasks.expand(DropoutMasks.keepMask(n, p, rng), n, DropoutMasks.keepScale(p));
        Tensor mask = Tensor.fresh(a.backend, a.backend.upload(m), a.shape.clone());
        return ElementwiseOps.mul(a, mask);
    }

    // ---- indexing ----

    static Tensor embedding(Tensor weight, int[] ids, int[] idsShape) {
        Backend be = weight.backend;
        Tensor w = contiguous(weight);
        int v = w.shape[0], d = w.shape[1];
        int[] idsCopy = ids.clone();
        int[] outShape = Arrays.copyOf(idsShape, idsShape.length + 1);
        outShape[idsShape.length] = d;
        Tensor out = empty(be, outShape);
        if (ids.length > 0) be.gatherRows(w.buffer, w.offset, d, idsCopy, out.buffer);
        if (!Autograd.shouldRecord(weight)) return out;
        return Tape.record(out, "embedding", g -> {
            Tensor gc = contiguous(g);
            Tensor dw = zeros(be, new int[] {v, d}); // rows of ids not in the batch stay 0
            if (idsCopy.length > 0) be.scatterAddRows(gc.buffer, gc.offset, d, idsCopy, dw.buffer);
            weight.accumulateFreshGrad(dw);
        }, weight);
    }

    static Tensor crossEntropy(Tensor logits, int[] labels, int ignoreIndex, float smoothing, int count) {
        Backend be = logits.backend;
        Tensor z = contiguous(logits);
        int v = z.shape[z.rank() - 1];
        int rows = v == 0 ? 0 : z.size() / v;
        int[] labelsCopy = labels.clone();
        DeviceBuffer lse = be.allocateUninitialized(Math.max(1, rows));
        double total = rows == 0 ? 0 : be.crossEntropy(z.buffer, z.offset, rows, v, labelsCopy, ignoreIndex, smoothing, lse);
        Tensor loss = Tensor.fresh(be, be.upload(new float[] {count == 0 ? 0f : (float) (total / count)}), new int[0]);
        if (!Autograd.shouldRecord(logits)) return loss;
        return Tape.record(loss, "crossEntropy", g -> {
            float scale = count == 0 ? 0f : g.item() / count;
            Tensor dz = empty(be, z.shape);
            if (rows > 0) be.crossEntropyBackward(z.buffer, z.offset, rows, v, labelsCopy, ignoreIndex, smoothing, lse, scale, dz.buffer);
            logits.accumulateFreshGrad(dz);
        }, logits);
    }

    static Tensor concat(int ax, int[] outShape, Tensor[] partsIn) {
        Backend be = backendOf(partsIn);
        Tensor[] parts = new Tensor[partsIn.length];
        for (int i = 0; i < parts.length; i++) parts[i] = on(be, partsIn[i]);
        Tensor out = empty(be, outShape);
        int[] outStrides = Shapes.contiguousStrides(outShape);
        int start = 0;
        for (Tensor p : parts) {
            if (p.size() > 0) be.copy(p.shape, p.buffer, p.offset, p.strides, out.buffer, start * outStrides[ax], outStrides);
            start += p.shape[ax];
        }
        if (!Autograd.shouldRecord(partsIn)) return out;
        Tensor[] inputs = partsIn.clone();
        return Tape.record(out, "concat", g -> {
            int s = 0;
            for (Tensor p : inputs) {
                int len = p.shape[ax];
                if (p.requiresGrad()) p.accumulateFreshGrad(sliceCopy(g, ax, s, s + len));
                s += len;
            }
        }, inputs);
    }

    static Tensor slice(Tensor a, int ax, int start, int end) {
        Tensor result = sliceCopy(a, ax, start, end);
        if (!Autograd.shouldRecord(a)) return result;
        return Tape.record(result, "slice", g -> {
            Tensor da = zeros(a.backend, a.shape); // 0 outside the slice
            int[] strides = Shapes.contiguousStrides(a.shape);
            if (g.size() > 0) a.backend.copy(g.shape, g.buffer, g.offset, g.strides, da.buffer, start * strides[ax], strides);
            a.accumulateFreshGrad(da);
        }, a);
    }

    private static Tensor sliceCopy(Tensor a, int ax, int start, int end) {
        int[] shape = a.shape.clone();
        shape[ax] = end - start;
        Tensor out = empty(a.backend, shape);
        if (out.size() > 0) {
            a.backend.copy(shape, a.buffer, a.offset + start * a.strides[ax], a.strides, out.buffer, 0,
                    Shapes.contiguousStrides(shape));
        }
        return out;
    }
}
