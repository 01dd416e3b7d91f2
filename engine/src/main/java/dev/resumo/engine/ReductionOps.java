package dev.resumo.engine;

import dev.resumo.engine.cpu.ReduceKernels;

/** Sums and means over all elements or one axis. */
final class ReductionOps {
    private ReductionOps() {}

    static Tensor sum(Tensor a) {
        if (a.isOnDevice()) return DeviceOps.sum(a);
        Tensor x = a.contiguous();
        Tensor out = Tensor.scalar((float) ReduceKernels.sumAll(x.data, x.offset, x.size()));
        if (!Autograd.shouldRecord(x)) return out;
        return Tape.record(out, "sum", g -> x.accumulateGrad(LayoutOps.expand(g, x.shape)), x);
    }

    static Tensor sum(Tensor a, int axis, boolean keepDim) {
        int ax = Shapes.axis("sum", axis, a.rank());
        if (a.isOnDevice()) return DeviceOps.sum(a, ax, keepDim);
        Tensor x = a.contiguous();
        int outer = Shapes.product(x.shape, 0, ax);
        int len = x.shape[ax];
        int inner = Shapes.product(x.shape, ax + 1, x.rank());
        float[] out = new float[outer * inner];
        ReduceKernels.sumAxis(x.data, x.offset, outer, len, inner, out);
        Tensor result = Tensor.fresh(out, Shapes.withoutAxis(x.shape, ax, keepDim));
        if (!Autograd.shouldRecord(x)) return result;
        int[] kept = Shapes.withoutAxis(x.shape, ax, true);
        return Tape.record(result, "sum(axis)", g -> {
            Tensor gc = g.isContiguous() ? g : Tensor.fresh(g.toArray(), g.shape.clone());
            Tensor keptView = gc.view(kept, Shapes.contiguousStrides(kept), gc.offset);
            x.accumulateGrad(LayoutOps.expand(keptView, x.shape));
        }, x);
    }

    static Tensor mean(Tensor a) {
        if (a.size() == 0) throw new IllegalArgumentException("mean: tensor " + Shapes.str(a.shape) + " is empty");
        return ElementwiseOps.scale(sum(a), 1f / a.size());
    }

    static Tensor mean(Tensor a, int axis, boolean keepDim) {
        int ax = Shapes.axis("mean", axis, a.rank());
        if (a.shape[ax] == 0) throw new IllegalArgumentException("mean: axis " + axis + " of " + Shapes.str(a.shape) + " is empty");
        return ElementwiseOps.scale(sum(a, ax, keepDim), 1f / a.shape[ax]);
    }
}
