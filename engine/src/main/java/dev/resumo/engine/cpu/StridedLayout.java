package dev.resumo.engine.cpu;

/**
 * A loop nest over a shape with one stride array per operand, simplified so that kernels run
 * long inner rows: size-1 dims are dropped and adjacent dims that are contiguous for every
 * operand are merged (a same-shape contiguous op becomes one row; a row broadcast becomes
 * [rows, cols] with stride 0 on the rows of the broadcast operand).
 */
public final class StridedLayout {
    /** Coalesced dims; never empty (a scalar is shape [1]). */
    public final int[] shape;
    /** strides[operand][dim], coalesced like shape. */
    public final int[][] strides;

    private StridedLayout(int[] shape, int[][] strides) {
        this.shape = shape;
        this.strides = strides;
    }

    public static StridedLayout of(int[] shape, int[]... operandStrides) {
        int k = operandStrides.length;
        int[] dims = new int[Math.max(1, shape.length)];
        int[][] st = new int[k][dims.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (r > 0 && mergeable(operandStrides, d, st, r - 1, shape[d])) {
                dims[r - 1] *= shape[d];
                for (int o = 0; o < k; o++) st[o][r - 1] = operandStrides[o][d];
            } else {
                dims[r] = shape[d];
                for (int o = 0; o < k; o++) st[o][r] = operandStrides[o][d];
                r++;
            }
        }
        if (r == 0) { // every dim is 1 (or a scalar): one element
            dims[0] = 1;
            for (int o = 0; o < k; o++) st[o][0] = 1;
            r = 1;
        }
        int[] outShape = java.util.Arrays.copyOf(dims, r);
        int[][] outStrides = new int[k][];
        for (int o = 0; o < k; o++) outStrides[o] = java.util.Arrays.copyOf(st[o], r);
        return new StridedLayout(outShape, outStrides);
    }

    /** Dim d (size n) folds into the previous kept dim when, for every operand, prev = stride·n. */
    private static boolean mergeable(int[][] operandStrides, int d, int[][] st, int prev, int n) {
        for (int o = 0; o < operandStrides.length; o++) {
            if (st[o][prev] != operandStrides[o][d] * n) return false;
        }
        return true;
    }

    /** True when some dim is 0 (nothing to loop over). */
    public static boolean isEmpty(int[] shape) {
        for (int d : shape) if (d == 0) return true;
        return false;
    }

    public int rank() {
        return shape.length;
    }

    /** Length of the innermost (row) dim. */
    public int rowLength() {
        return shape[shape.length - 1];
    }

    /** Number of rows (product of all dims but the last). */
    public int rows() {
        int n = 1;
        for (int i = 0; i < shape.length - 1; i++) n *= shape[i];
        return n;
    }

    /** Offset (relative) of row r for one operand. */
    public int rowOffset(int operand, int row) {
        int[] s = strides[operand];
        int off = 0;
        for (int d = shape.length - 2; d >= 0; d--) {
            int n = shape[d];
            off += (row % n) * s[d];
            row /= n;
        }
        return off;
    }

    public int innerStride(int operand) {
        return strides[operand][shape.length - 1];
    }
}
