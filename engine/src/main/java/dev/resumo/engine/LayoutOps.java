package dev.resumo.engine;

import dev.resumo.engine.cpu.ElementwiseKernels;
import java.util.Arrays;

/** Reshape, transpose, contiguous copies and broadcast views. */
final class LayoutOps {
    private LayoutOps() {}

    /** A view when a is contiguous, else a copy then a view; -1 in the shape is inferred. */
    static Tensor reshape(Tensor a, int... newShape) {
        int[] shape = resolveShape(a, newShape);
        Tensor x = a.contiguous();
        Tensor out = x.view(shape, Shapes.contiguousStrides(shape), x.offset);
        if (!Autograd.shouldRecord(x)) return out;
        int[] inShape = x.shape;
        return Tape.record(out, "reshape", g -> x.accumulateGrad(reshapeNoGrad(g, inShape)), x);
    }

    private static Tensor reshapeNoGrad(Tensor g, int[] shape) {
        Tensor c = g.isContiguous() ? g : copy(g);
        return c.view(shape.clone(), Shapes.contiguousStrides(shape), c.offset);
    }

    private static int[] resolveShape(Tensor a, int[] requested) {
        int[] shape = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: more than one -1 in " + Arrays.toString(requested));
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Arrays.toString(requested));
            } else {
                known *= shape[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || a.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(a.shape) + " ("
                        + a.size() + " elements) into " + Arrays.toString(requested));
            }
            shape[infer] = (int) (a.size() / known);
            known *= shape[infer];
        }
        if (known != a.size()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(a.shape) + " ("
                    + a.size() + " elements) into " + Arrays.toString(requested) + " (" + known + " elements)");
        }
        return shape;
    }

    static Tensor transpose(Tensor a, int axis0, int axis1) {
        int i = Shapes.axis("transpose", axis0, a.rank());
        int j = Shapes.axis("transpose", axis1, a.rank());
        Tensor out = transposeView(a, i, j);
        if (!Autograd.shouldRecord(a)) return out;
        return Tape.record(out, "transpose", g -> a.accumulateGrad(transposeView(g, i, j)), a);
    }

    /** The view with axes i and j swapped (no recording). */
    static Tensor transposeView(Tensor a, int i, int j) {
        int[] shape = a.shape.clone();
        int[] strides = a.strides.clone();
        shape[i] = a.shape[j];
        shape[j] = a.shape[i];
        strides[i] = a.strides[j];
        strides[j] = a.strides[i];
        return a.view(shape, strides, a.offset);
    }

    /** A contiguous copy; gradient passes through unchanged. */
    static Tensor copy(Tensor a) {
        if (a.isOnDevice()) return DeviceOps.copy(a);
        float[] out = new float[a.size()];
        ElementwiseKernels.copy(a.shape, a.data, a.offset, a.strides, out, 0);
        Tensor result = Tensor.fresh(out, a.shape.clone());
        if (!Autograd.shouldRecord(a)) return result;
        return Tape.record(result, "contiguous", a::accumulateGrad, a);
    }

    /** A read-only broadcast view of a with the given (broadcast-compatible) shape; no recording. */
    static Tensor expand(Tensor a, int[] shape) {
        return a.view(shape.clone(), Shapes.broadcastStrides(a.shape, a.strides, shape), a.offset);
    }
}
