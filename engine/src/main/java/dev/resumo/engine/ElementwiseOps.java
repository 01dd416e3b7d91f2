package dev.resumo.engine;

import static dev.resumo.engine.cpu.ElementwiseKernels.ADD;
import static dev.resumo.engine.cpu.ElementwiseKernels.DIV;
import static dev.resumo.engine.cpu.ElementwiseKernels.MUL;
import static dev.resumo.engine.cpu.ElementwiseKernels.SUB;

import dev.resumo.engine.cpu.ElementwiseKernels;
import java.util.Arrays;

/** Broadcast arithmetic (add, sub, mul, div, scale) and the reduction of gradients to a shape. */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static Tensor add(Tensor a, Tensor b) {
        Tensor out = compute("add", ADD, a, b);
        if (!Autograd.shouldRecord(a, b)) return out;
        return Tape.record(out, "add", g -> {
            if (a.requiresGrad()) a.accumulateGrad(sumTo(g, a.shape));
            if (b.requiresGrad()) b.accumulateGrad(sumTo(g, b.shape));
        }, a, b);
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = compute("sub", SUB, a, b);
        if (!Autograd.shouldRecord(a, b)) return out;
        return Tape.record(out, "sub", g -> {
            if (a.requiresGrad()) a.accumulateGrad(sumTo(g, a.shape));
            if (b.requiresGrad()) b.accumulateFreshGrad(sumTo(scale(g, -1f), b.shape));
        }, a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = compute("mul", MUL, a, b);
        if (!Autograd.shouldRecord(a, b)) return out;
        return Tape.record(out, "mul", g -> {
            if (a.requiresGrad()) a.accumulateFreshGrad(sumTo(compute("mul", MUL, g, b), a.shape));
            if (b.requiresGrad()) b.accumulateFreshGrad(sumTo(compute("mul", MUL, g, a), b.shape));
        }, a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        Tensor out = compute("div", DIV, a, b);
        if (!Autograd.shouldRecord(a, b)) return out;
        return Tape.record(out, "div", g -> {
            if (a.requiresGrad()) a.accumulateFreshGrad(sumTo(compute("div", DIV, g, b), a.shape));
            if (b.requiresGrad()) {
                // d(a/b)/db = -a/b² = -out/b
                Tensor gOut = compute("div", MUL, g, out);
                b.accumulateFreshGrad(sumTo(scale(compute("div", DIV, gOut, b), -1f), b.shape));
            }
        }, a, b);
    }

    static Tensor scale(Tensor a, float s) {
        if (a.isOnDevice()) return DeviceOps.scale(a, s);
        Tensor x = a.contiguous();
        float[] out = StepBuffers.uninitialized(x.size()); // the kernel writes every element
        ElementwiseKernels.scale(x.data, x.offset, s, out, x.size());
        Tensor result = Tensor.fresh(out, x.shape.clone());
        if (!Autograd.shouldRecord(x)) return result;
        return Tape.record(result, "scale", g -> x.accumulateFreshGrad(scale(g, s)), x);
    }

    /** The broadcast elementwise result, no recording. */
    static Tensor compute(String name, int op, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(name, a.shape, b.shape);
        if (a.isOnDevice() || b.isOnDevice()) return DeviceOps.binary(op, shape, a, b);
        float[] out = StepBuffers.uninitialized(Shapes.size(shape)); // the kernel writes every element
        ElementwiseKernels.binary(op, shape,
                a.data, a.offset, Shapes.broadcastStrides(a.shape, a.strides, shape),
                b.data, b.offset, Shapes.broadcastStrides(b.shape, b.strides, shape), out);
        return Tensor.fresh(out, shape);
    }

    /** Sums g over the dims along which {@code shape} was broadcast to g's shape (no recording). */
    static Tensor sumTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape, shape)) return g;
        if (g.isOnDevice()) return DeviceOps.sumTo(g, shape);
        float[] gd = g.isContiguous() && g.offset == 0 ? g.data : g.toArray();
        float[] out = StepBuffers.zeroed(Shapes.size(shape)); // summed into
        int[] dstStrides = Shapes.broadcastStrides(shape, Shapes.contiguousStrides(shape), g.shape);
        ElementwiseKernels.sumInto(g.shape, gd, out, dstStrides);
        return Tensor.fresh(out, shape.clone());
    }
}
