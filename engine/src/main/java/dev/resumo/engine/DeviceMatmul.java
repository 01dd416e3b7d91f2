package dev.resumo.engine;

import dev.resumo.engine.backend.Backend;
import java.util.Arrays;

/**
 * {@link MatmulOp} for device tensors: the same operand handling (a transposed view is a flipped
 * GEMM flag, anything else is copied), one batched GEMM launch per product, and the same
 * backward. Gradients of broadcast operands (several batch slots adding into one matrix) run as
 * one accumulating GEMM per slot, in queue order, so no two work-groups race on one output.
 */
final class DeviceMatmul {
    private DeviceMatmul() {}

    /** A contiguous device buffer holding an operand's matrices, maybe with the last two dims swapped. */
    private record Operand(Tensor input, Tensor base, boolean swapped) {
        static Operand of(Backend be, Tensor t) {
            t = DeviceOps.on(be, t);
            if (t.isContiguous()) return new Operand(t, t, false);
            Tensor swappedView = LayoutOps.transposeView(t, t.rank() - 2, t.rank() - 1);
            if (swappedView.isContiguous()) return new Operand(t, swappedView, true);
            Tensor copy = t.contiguous(); // recorded copy when t needs a grad
            return new Operand(copy, copy, false);
        }

        Tensor inputGrad(Tensor baseGrad) {
            return swapped ? LayoutOps.transposeView(baseGrad, baseGrad.rank() - 2, baseGrad.rank() - 1) : baseGrad;
        }
    }

    static Tensor matmul(String name, Tensor a, Tensor b, boolean transA, boolean transB, int[] batch, int m, int n, int k) {
        Backend be = DeviceOps.backendOf(a, b);
        Operand oa = Operand.of(be, a), ob = Operand.of(be, b);
        boolean ta = transA ^ oa.swapped, tb = transB ^ ob.swapped;
        int count = Shapes.size(batch);
        int[] aOffs = offsets(oa.base, batch, m * k), bOffs = offsets(ob.base, batch, k * n);
        boolean folded = !ta && ob.base.size() == k * n && oa.base.size() == count * m * k;
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        boolean empty = m == 0 || n == 0 || k == 0 || count == 0;
        Tensor out = empty ? DeviceOps.zeros(be, outShape) : DeviceOps.empty(be, outShape); // k = 0: C = 0
        if (!empty) {
            if (folded) {
                be.gemm(false, tb, m * count, n, k, oa.base.buffer, oa.base.offset, ob.base.buffer, ob.base.offset, out.buffer, 0, false);
            } else {
                be.gemmBatched(ta, tb, m, n, k, oa.base.buffer, shifted(aOffs, oa.base.offset), ob.base.buffer,
                        shifted(bOffs, ob.base.offset), out.buffer, 0, false);
            }
        }
        if (!Autograd.shouldRecord(oa.input, ob.input)) return out;
        return Tape.record(out, name, g -> {
            Tensor dc = DeviceOps.dense(g);
            int[] dcOffs = new int[count];
            for (int t = 0; t < count; t++) dcOffs[t] = t * m * n;
            if (oa.input.requiresGrad()) {
                // gemmInto adds into a zeroed C; the folded product writes all of it
                Tensor ga = folded && !empty ? DeviceOps.empty(be, oa.base.shape) : DeviceOps.zeros(be, oa.base.shape);
                if (!empty) {
                    if (folded) { // dA[MB×K] = dC[MB×N] · op(B)ᵀ
                        be.gemm(false, !tb, m * count, k, n, dc.buffer, 0, ob.base.buffer, ob.base.offset, ga.buffer, 0, false);
                    } else if (!ta) { // stored M×K: dC · op(B)ᵀ
                        gemmInto(be, false, !tb, m, k, n, dc, dcOffs, ob.base, bOffs, ga, aOffs, m * k);
                    } else { // stored K×M: op(B) · dCᵀ
                        gemmInto(be, tb, true, k, m, n, ob.base, bOffs, dc, dcOffs, ga, aOffs, m * k);
                    }
                }
                oa.input.accumulateFreshGrad(oa.inputGrad(ga));
            }
            if (ob.input.requiresGrad()) {
                Tensor gb = folded && !empty ? DeviceOps.empty(be, ob.base.shape) : DeviceOps.zeros(be, ob.base.shape);
                if (!empty) {
                    if (folded) {
                        if (!tb) be.gemm(true, false, k, n, m * count, oa.base.buffer, oa.base.offset, dc.buffer, 0, gb.buffer, 0, false);
                        else be.gemm(true, false, n, k, m * count, dc.buffer, 0, oa.base.buffer, oa.base.offset, gb.buffer, 0, false);
                    } else if (!tb) { // stored K×N: op(A)ᵀ · dC
                        gemmInto(be, !ta, false, k, n, m, oa.base, aOffs, dc, dcOffs, gb, bOffs, k * n);
                    } else { // stored N×K: dCᵀ · op(A)
                        gemmInto(be, true, ta, n, k, m, dc, dcOffs, oa.base, aOffs, gb, bOffs, k * n);
                    }
                }
                ob.input.accumulateFreshGrad(ob.inputGrad(gb));
            }
        }, oa.input, ob.input);
    }

    /**
     * For each slot t: C[cOffs[t]] += op(X[xOffs[t]])·op(Y[yOffs[t]]) into a zeroed C. One batched
     * launch when the slots' outputs are the consecutive matrices of C; else one launch per slot.
     */
    private static void gemmInto(Backend be, boolean tx, boolean ty, int rows, int cols, int inner,
                                 Tensor x, int[] xOffs, Tensor y, int[] yOffs, Tensor c, int[] cOffs, int matrix) {
        int count = cOffs.length;
        int[] xo = shifted(xOffs, x.offset), yo = shifted(yOffs, y.offset);
        boolean consecutive = true;
        for (int t = 0; t < count && consecutive; t++) consecutive = cOffs[t] == t * matrix;
        if (consecutive) {
            be.gemmBatched(tx, ty, rows, cols, inner, x.buffer, xo, y.buffer, yo, c.buffer, 0, true);
            return;
        }
        for (int t = 0; t < count; t++) {
            be.gemm(tx, ty, rows, cols, inner, x.buffer, xo[t], y.buffer, yo[t], c.buffer, cOffs[t], true);
        }
    }

    private static int[] shifted(int[] offs, int by) {
        int[] out = offs.clone();
        for (int i = 0; i < out.length; i++) out[i] += by;
        return out;
    }

    /** Offset of each output batch's matrix relative to the (contiguous) base's start. */
    private static int[] offsets(Tensor base, int[] batch, int matrix) {
        int rank = base.rank() - 2;
        int[] own = Arrays.copyOf(base.shape, rank);
        int[] strides = Shapes.broadcastStrides(own, Shapes.contiguousStrides(own), batch);
        int count = Shapes.size(batch);
        int[] offsets = new int[count];
        for (int t = 0; t < count; t++) {
            int rem = t, off = 0;
            for (int d = batch.length - 1; d >= 0; d--) {
                off += (rem % batch[d]) * strides[d];
                rem /= batch[d];
            }
            offsets[t] = off * matrix;
        }
        return offsets;
    }
}
