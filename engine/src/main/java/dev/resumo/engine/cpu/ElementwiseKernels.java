package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise loops: broadcast binary ops over strided operands, strided copies, reductions of a
 * broadcast gradient back to an input shape, and the activations (forward and backward).
 * Inner rows are vectorised when every operand has stride 1 (or 0, a broadcast scalar).
 */
public final class ElementwiseKernels {
    public static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Elements per parallel task: below this, threading costs more than it saves. */
    private static final int GRAIN = 1 << 15;

    private ElementwiseKernels() {}

    /**
     * out[i] = a[i] op b[i] over {@code shape}; a and b carry (broadcast) strides; out is
     * contiguous from offset 0.
     */
    public static void binary(int op, int[] shape, float[] a, int aOff, int[] aStrides,
                              float[] b, int bOff, int[] bStrides, float[] out) {
        if (StridedLayout.isEmpty(shape)) return;
        StridedLayout lay = StridedLayout.of(shape, aStrides, bStrides, contiguous(shape));
        int len = lay.rowLength();
        int as = lay.innerStride(0), bs = lay.innerStride(1);
        if (lay.rank() == 1) {
            Workers.parallelFor(len, GRAIN, (s, e) ->
                    row(op, a, aOff + s * as, as, b, bOff + s * bs, bs, out, s, e - s));
            return;
        }
        Workers.parallelFor(lay.rows(), Math.max(1, GRAIN / len), (s, e) -> {
            for (int r = s; r < e; r++) {
                row(op, a, aOff + lay.rowOffset(0, r), as, b, bOff + lay.rowOffset(1, r), bs,
                        out, lay.rowOffset(2, r), len);
            }
        });
    }

    /**
     * One row of a binary op. The vector loops are written out per (op, stride pattern): a
     * FloatVector chosen by a branch inside the loop (a phi) would be boxed by C2 and run ~20x
     * slower than a scalar loop.
     */
    private static void row(int op, float[] a, int ai, int as, float[] b, int bi, int bs,
                            float[] o, int oi, int len) {
        int i = 0;
        if (len >= L) {
            if (as == 1 && bs == 1) i = rowBoth(op, a, ai, b, bi, o, oi, len);
            else if (as == 1 && bs == 0) i = rowScalarB(op, a, ai, b[bi], o, oi, len);
            else if (as == 0 && bs == 1) i = rowScalarA(op, a[ai], b, bi, o, oi, len);
        }
        switch (op) {
            case ADD -> { for (; i < len; i++) o[oi + i] = a[ai + i * as] + b[bi + i * bs]; }
            case SUB -> { for (; i < len; i++) o[oi + i] = a[ai + i * as] - b[bi + i * bs]; }
            case MUL -> { for (; i < len; i++) o[oi + i] = a[ai + i * as] * b[bi + i * bs]; }
            case DIV -> { for (; i < len; i++) o[oi + i] = a[ai + i * as] / b[bi + i * bs]; }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /** Vector part of a row where both operands advance; returns the first index not done. */
    private static int rowBoth(int op, float[] a, int ai, float[] b, int bi, float[] o, int oi, int len) {
        int upper = S.loopBound(len), i = 0;
        switch (op) {
            case ADD -> { for (; i < upper; i += L) FloatVector.fromArray(S, a, ai + i).add(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i); }
            case SUB -> { for (; i < upper; i += L) FloatVector.fromArray(S, a, ai + i).sub(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i); }
            case MUL -> { for (; i < upper; i += L) FloatVector.fromArray(S, a, ai + i).mul(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i); }
            case DIV -> { for (; i < upper; i += L) FloatVector.fromArray(S, a, ai + i).div(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i); }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
        return i;
    }

    /** Vector part of a row of a op c for a constant c. */
    private static int rowScalarB(int op, float[] a, int ai, float c, float[] o, int oi, int len) {
        int upper = S.loopBound(len), i = 0;
        switch (op) {
            case ADD -> { for (; i < upper; i += L) FloatVector.fromArray(S, a, ai + i).add(c).intoArray(o, oi + i); }
            case SUB -> { for (; i < upper; i += L) FloatVector.fromArray(S, a, ai + i).sub(c).intoArray(o, oi + i); }
            case MUL -> { for (; i < upper; i += L) FloatVector.fromArray(S, a, ai + i).mul(c).intoArray(o, oi + i); }
            case DIV -> { for (; i < upper; i += L) FloatVector.fromArray(S, a, ai + i).div(c).intoArray(o, oi + i); }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
        return i;
    }

    /** Vector part of a row of c op b for a constant c. */
    private static int rowScalarA(int op, float c, float[] b, int bi, float[] o, int oi, int len) {
        int upper = S.loopBound(len), i = 0;
        FloatVector vc = FloatVector.broadcast(S, c);
        switch (op) {
            case ADD -> { for (; i < upper; i += L) vc.add(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i); }
            case SUB -> { for (; i < upper; i += L) vc.sub(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i); }
            case MUL -> { for (; i < upper; i += L) vc.mul(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i); }
            case DIV -> { for (; i < upper; i += L) vc.div(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i); }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
        return i;
    }

    /** Copies a strided view into dst (contiguous from dstOff). */
    public static void copy(int[] shape, float[] src, int srcOff, int[] srcStrides, float[] dst, int dstOff) {
        copy(shape, src, srcOff, srcStrides, dst, dstOff, contiguous(shape));
    }

    /** Copies between two strided views of the same shape (dst must not overlap src). */
    public static void copy(int[] shape, float[] src, int srcOff, int[] srcStrides,
                            float[] dst, int dstOff, int[] dstStrides) {
        if (StridedLayout.isEmpty(shape)) return;
        StridedLayout lay = StridedLayout.of(shape, srcStrides, dstStrides);
        int len = lay.rowLength();
        int ss = lay.innerStride(0), ds = lay.innerStride(1);
        Workers.parallelFor(lay.rows(), Math.max(1, GRAIN / len), (s, e) -> {
            for (int r = s; r < e; r++) {
                int si = srcOff + lay.rowOffset(0, r);
                int di = dstOff + lay.rowOffset(1, r);
                if (ss == 1 && ds == 1) {
                    System.arraycopy(src, si, dst, di, len);
                } else {
                    for (int i = 0; i < len; i++) dst[di + i * ds] = src[si + i * ss];
                }
            }
        });
    }

    /**
     * Sums a contiguous gradient of shape {@code gradShape} into dst, whose strides (one per
     * grad dim) are 0 along broadcast dims: the backward of broadcasting. dst must start zeroed
     * (or hold values to add to). Serial, because broadcast dims make several rows hit one slot.
     */
    public static void sumInto(int[] gradShape, float[] grad, float[] dst, int[] dstStrides) {
        if (StridedLayout.isEmpty(gradShape)) return;
        StridedLayout lay = StridedLayout.of(gradShape, contiguous(gradShape), dstStrides);
        int len = lay.rowLength();
        int ds = lay.innerStride(1);
        for (int r = 0, rows = lay.rows(); r < rows; r++) {
            int gi = lay.rowOffset(0, r);
            int di = lay.rowOffset(1, r);
            if (ds == 1) {
                row(ADD, dst, di, 1, grad, gi, 1, dst, di, len);
            } else if (ds == 0) {
                dst[di] += sumRow(grad, gi, len);
            } else {
                for (int i = 0; i < len; i++) dst[di + i * ds] += grad[gi + i];
            }
        }
    }

    /** Sum of x[off, off+len) with vector partial sums (better rounding than a running float). */
    public static float sumRow(float[] x, int off, int len) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int upper = S.loopBound(len); i < upper; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        float s = LaneSums.sum(acc);
        for (; i < len; i++) s += x[off + i];
        return s;
    }

    /** out[i] = x[xOff + i] * s. */
    public static void scale(float[] x, int xOff, float s, float[] out, int n) {
        Workers.parallelFor(n, GRAIN, (st, e) -> {
            int i = st;
            FloatVector vs = FloatVector.broadcast(S, s);
            for (int upper = st + S.loopBound(e - st); i < upper; i += L) {
                FloatVector.fromArray(S, x, xOff + i).mul(vs).intoArray(out, i);
            }
            for (; i < e; i++) out[i] = x[xOff + i] * s;
        });
    }

    /**
     * a[off..off+n) = value, spread over the workers: zeroing a model's gradients each step is
     * 240 MB for PTT5-small, which Arrays.fill wrote on one core while the other waited.
     */
    public static void fill(float[] a, int off, int n, float value) {
        java.util.Objects.checkFromIndexSize(off, n, a.length);
        Workers.parallelFor(n, 4 * GRAIN, (s, e) -> java.util.Arrays.fill(a, off + s, off + e, value));
    }

    public static void relu(float[] x, int xOff, float[] out, int n) {
        Workers.parallelFor(n, GRAIN, (st, e) -> {
            int i = st;
            FloatVector zero = FloatVector.zero(S);
            for (int upper = st + S.loopBound(e - st); i < upper; i += L) {
                FloatVector.fromArray(S, x, xOff + i).max(zero).intoArray(out, i);
            }
            for (; i < e; i++) out[i] = Math.max(x[xOff + i], 0f);
        });
    }

    /** dx[i] = x[i] > 0 ? g[i] : 0 (the subgradient at 0 is 0, as in PyTorch). */
    public static void reluBackward(float[] x, int xOff, float[] g, int gOff, float[] dx, int n) {
        Workers.parallelFor(n, GRAIN, (st, e) -> {
            int i = st;
            FloatVector zero = FloatVector.zero(S);
            for (int upper = st + S.loopBound(e - st); i < upper; i += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
                FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
                zero.blend(gv, xv.compare(VectorOperators.GT, 0f)).intoArray(dx, i);
            }
            for (; i < e; i++) dx[i] = x[xOff + i] > 0f ? g[gOff + i] : 0f;
        });
    }

    private static final float GELU_C = (float) Math.sqrt(2.0 / Math.PI);
    private static final float GELU_A = 0.044715f;

    /** GELU tanh approximation: 0.5x(1 + tanh(c(x + 0.044715x³))), c = sqrt(2/π). */
    public static void gelu(float[] x, int xOff, float[] out, int n) {
        // Scalar Math.tanh: the vector TANH stub and its fallback differ in the last bits (see LaneSums).
        Workers.parallelFor(n, GRAIN / 4, (st, e) -> {
            for (int i = st; i < e; i++) {
                float v = x[xOff + i];
                float t = (float) Math.tanh(GELU_C * (v + GELU_A * v * v * v));
                out[i] = 0.5f * v * (1f + t);
            }
        });
    }

    /**
     * GELU derivative: 0.5(1+t) + 0.5x(1-t²)·c(1 + 3·0.044715x²), with t = tanh(c(x + 0.044715x³)).
     */
    public static void geluBackward(float[] x, int xOff, float[] g, int gOff, float[] dx, int n) {
        Workers.parallelFor(n, GRAIN / 4, (st, e) -> {
            for (int i = st; i < e; i++) {
                float v = x[xOff + i];
                float t = (float) Math.tanh(GELU_C * (v + GELU_A * v * v * v));
                float d = 0.5f * (1f + t) + 0.5f * v * (1f - t * t) * GELU_C * (1f + 3f * GELU_A * v * v);
                dx[i] = d * g[gOff + i];
            }
        });
    }

    /** Exact GELU (HF "gelu"): x·Φ(x) = 0.5x(1 + erf(x/√2)), in double (see {@link Erf}). */
    public static void geluErf(float[] x, int xOff, float[] out, int n) {
        Workers.parallelFor(n, GRAIN / 4, (st, e) -> {
            for (int i = st; i < e; i++) {
                double v = x[xOff + i];
                out[i] = (float) (v * Erf.normalCdf(v));
            }
        });
    }

    /** Exact GELU derivative: Φ(x) + x·φ(x). */
    public static void geluErfBackward(float[] x, int xOff, float[] g, int gOff, float[] dx, int n) {
        Workers.parallelFor(n, GRAIN / 4, (st, e) -> {
            for (int i = st; i < e; i++) {
                double v = x[xOff + i];
                dx[i] = (float) ((Erf.normalCdf(v) + v * Erf.normalPdf(v)) * g[gOff + i]);
            }
        });
    }

    /** SiLU / swish: x·σ(x) = x / (1 + e^-x). */
    public static void silu(float[] x, int xOff, float[] out, int n) {
        Workers.parallelFor(n, GRAIN / 4, (st, e) -> {
            for (int i = st; i < e; i++) {
                double v = x[xOff + i];
                out[i] = (float) (v / (1 + Math.exp(-v)));
            }
        });
    }

    /** SiLU derivative: σ(x)(1 + x(1 - σ(x))). */
    public static void siluBackward(float[] x, int xOff, float[] g, int gOff, float[] dx, int n) {
        Workers.parallelFor(n, GRAIN / 4, (st, e) -> {
            for (int i = st; i < e; i++) {
                double v = x[xOff + i];
                double s = 1 / (1 + Math.exp(-v));
                dx[i] = (float) (s * (1 + v * (1 - s)) * g[gOff + i]);
            }
        });
    }

    static int[] contiguous(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }
}
