package dev.resumo.engine.io;

import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header: its dtype, shape and byte range. {@code begin} and
 * {@code end} are offsets into the data section (which starts right after the header), as in the
 * file; {@code end - begin == elementCount() * dtype.byteSize()} has been checked on open.
 */
public record TensorInfo(String name, Dtype dtype, int[] shape, long begin, long end) {
    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the shape (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Bytes the tensor occupies in the data section. */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + dtype.hashCode()) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " bytes [" + begin + ", " + end + ")";
    }
}
