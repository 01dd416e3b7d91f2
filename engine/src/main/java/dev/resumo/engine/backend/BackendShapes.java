package dev.resumo.engine.backend;

/** Shape arithmetic the backends share (kept apart from the engine's package-private Shapes). */
public final class BackendShapes {
    private BackendShapes() {}

    public static long size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * dstShape right-aligned to gShape's rank, padded with leading 1s; a dim where dst is 1 and g
     * is not is a broadcast (reduced) dim.
     */
    public static int[] aligned(int[] gShape, int[] dstShape) {
        int[] out = new int[gShape.length];
        int lead = gShape.length - dstShape.length;
        if (lead < 0) throw new IllegalArgumentException("sumTo: target has more dims than the gradient");
        for (int i = 0; i < gShape.length; i++) {
            out[i] = i < lead ? 1 : dstShape[i - lead];
            if (out[i] != gShape[i] && out[i] != 1) {
                throw new IllegalArgumentException("sumTo: dim " + i + " of the target (" + out[i]
                        + ") neither matches nor broadcasts to " + gShape[i]);
            }
        }
        return out;
    }

    /** Strides of a contiguous dst (dstShape) indexed by gShape's dims: 0 along broadcast dims. */
    public static int[] reduceStrides(int[] gShape, int[] dstShape) {
        int[] al = aligned(gShape, dstShape);
        int[] own = contiguousStrides(al);
        int[] out = new int[gShape.length];
        for (int i = 0; i < gShape.length; i++) out[i] = al[i] == 1 && gShape[i] != 1 ? 0 : own[i];
        return out;
    }
}
