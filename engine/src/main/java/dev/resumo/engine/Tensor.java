package dev.resumo.engine;

import java.util.Arrays;

/**
 * STAND-IN for the real Tensor (being written on branch `autograd`): only the storage part of the
 * contract, so that file formats and model code can be written against it. When `autograd` is
 * merged, its Tensor replaces this file entirely.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length) {
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape " + Arrays.toString(shape));
        }
        this.data = data;
        this.shape = shape.clone();
    }

    public static Tensor of(float[] data, int... shape) { return new Tensor(data, shape); }

    public static Tensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return new Tensor(new float[Math.toIntExact(n)], shape);
    }

    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public int dim(int axis) { return shape[axis < 0 ? axis + shape.length : axis]; }
    public int size() { return data.length; }
    public float[] data() { return data; }
    public int offset() { return 0; }
    public boolean isContiguous() { return true; }
    public float[] toArray() { return data.clone(); }
    public float item() { return data[0]; }
    /** Stand-in: no autograd here, so no tensor ever has a gradient (the real Tensor fills it in backward). */
    public Tensor grad() { return null; }
}
