package dev.resumo.engine;

import dev.resumo.engine.cpu.Gemm;
import dev.resumo.engine.cpu.PanelWeight;
import dev.resumo.engine.cpu.Workers;
import java.util.Arrays;

/**
 * Batched matmul over the last two dims with broadcasting batch dims, on {@link Gemm}.
 *
 * <p>Each operand is used in place when its matrices are contiguous, either as stored or with
 * the last two dims swapped (a transposed view costs only a flipped GEMM flag); anything else
 * is copied first. A weight without batch dims times a non-broadcast batch folds into one GEMM
 * of M·batch rows. Backward: dA = dC·op(B)ᵀ and dB = op(A)ᵀ·dC, written as GEMM flags over the
 * same buffers; broadcast batch slots accumulate.
 */
final class MatmulOp {
    /** Batched products up to this size run whole on one thread each (see Plan.eachBatch). */
    private static final long SMALL_BATCHED_FLOPS = 64_000_000;

    private MatmulOp() {}

    /** A contiguous buffer holding an operand's matrices, maybe with the last two dims swapped. */
    private record Operand(Tensor input, Tensor base, boolean swapped) {
        static Operand of(Tensor t) {
            if (t.isContiguous()) return new Operand(t, t, false);
            Tensor swappedView = LayoutOps.transposeView(t, t.rank() - 2, t.rank() - 1);
            if (swappedView.isContiguous()) return new Operand(t, swappedView, true);
            Tensor copy = t.contiguous(); // recorded copy when t needs a grad
            return new Operand(copy, copy, false);
        }

        /** The gradient of input given the gradient of base (both row-major buffers). */
        Tensor inputGrad(float[] baseGrad) {
            Tensor g = Tensor.fresh(baseGrad, base.shape.clone());
            return swapped ? LayoutOps.transposeView(g, g.rank() - 2, g.rank() - 1) : g;
        }
    }

    /** {@link Ops#matmul(Tensor, PanelWeight)}. */
    static Tensor matmulPanels(Tensor x, PanelWeight w) {
        if (x.isOnDevice()) throw new IllegalArgumentException("matmul(panels): the input is on " + x.backend().name()
                + "; packed weights are host arrays");
        if (Autograd.shouldRecord(x)) throw new IllegalArgumentException("matmul(panels): records no gradient; "
                + "call it under Autograd.noGrad() or with an input that needs none");
        int k = w.inFeatures();
        if (x.rank() < 1 || x.shape[x.rank() - 1] != k) {
            throw new IllegalArgumentException("matmul(panels): input " + Shapes.str(x.shape) + " does not end in the weight's "
                    + k + " input features");
        }
        Tensor xc = x.contiguous();
        int m = xc.size() / k;
        float[] c = StepBuffers.uninitialized(m * w.outFeatures()); // multiply without accumulate writes every element
        w.multiply(m, xc.data, xc.offset, c, 0, false);
        int[] shape = x.shape.clone();
        shape[shape.length - 1] = w.outFeatures();
        return Tensor.fresh(c, shape);
    }

    static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        String name = "matmul" + (transA || transB ? "(" + (transA ? "transA" : "")
                + (transA && transB ? "," : "") + (transB ? "transB" : "") + ")" : "");
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException(name + ": needs rank >= 2 operands, got "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        int ra = a.rank(), rb = b.rank();
        int m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
        int k = transA ? a.shape[ra - 2] : a.shape[ra - 1];
        int kb = transB ? b.shape[rb - 1] : b.shape[rb - 2];
        int n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
        if (k != kb) {
            throw new IllegalArgumentException(name + ": cannot multiply " + Shapes.str(a.shape) + " by "
                    + Shapes.str(b.shape) + " (inner dims " + k + " vs " + kb + ")");
        }
        int[] aBatch = Arrays.copyOf(a.shape, ra - 2);
        int[] bBatch = Arrays.copyOf(b.shape, rb - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast(name, aBatch, bBatch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": batch dims of " + Shapes.str(a.shape) + " and "
                    + Shapes.str(b.shape) + " do not broadcast", e);
        }
        if (a.isOnDevice() || b.isOnDevice()) return DeviceMatmul.matmul(name, a, b, transA, transB, batch, m, n, k);
        Operand oa = Operand.of(a), ob = Operand.of(b);
        Plan plan = new Plan(batch, m, n, k, oa, transA ^ oa.swapped, ob, transB ^ ob.swapped);

        // Every GEMM overwrites its C (accumulate off); an empty product writes nothing: zeros.
        float[] c = plan.empty ? new float[plan.batchCount * m * n] : StepBuffers.uninitialized(plan.batchCount * m * n);
        plan.forward(c);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = Tensor.fresh(c, outShape);
        if (!Autograd.shouldRecord(oa.input, ob.input)) return out;
        return Tape.record(out, name, g -> {
            Tensor gc = g.isContiguous() && g.offset == 0 ? g : Tensor.fresh(g.toArray(), g.shape.clone());
            if (oa.input.requiresGrad()) {
                float[] into = oa.swapped ? null : oa.input.ownedGradBuffer();
                if (into != null) plan.gradA(gc.data, into, true); // straight into the gradient held so far
                else oa.input.accumulateFreshGrad(oa.inputGrad(plan.gradA(gc.data, plan.freshGrad(oa.base.size()), false)));
            }
            if (ob.input.requiresGrad()) {
                float[] into = ob.swapped ? null : ob.input.ownedGradBuffer();
                if (into != null) plan.gradB(gc.data, into, true);
                else ob.input.accumulateFreshGrad(ob.inputGrad(plan.gradB(gc.data, plan.freshGrad(ob.base.size()), false)));
            }
        }, oa.input, ob.input);
    }

    /** Batch offsets and GEMM flags for one product; reused by the backward. */
    private static final class Plan {
        final int m, n, k, batchCount;
        final Operand a, b;
        final boolean ta, tb; // GEMM flags over the stored buffers
        final int[] aOffsets, bOffsets; // per output batch, relative to the base buffers' starts
        final int aMatrix, bMatrix;
        /** Matrices stored in each base buffer: equal to batchCount when that operand is not broadcast. */
        final int aBatches, bBatches;
        /** One GEMM with M·batch rows: b has no batch, a's batches are all distinct and untransposed. */
        final boolean folded;
        /** A zero-sized dim: every result and gradient is zeros, no GEMM runs. */
        final boolean empty;

        Plan(int[] batch, int m, int n, int k, Operand a, boolean ta, Operand b, boolean tb) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.b = b;
            this.ta = ta;
            this.tb = tb;
            this.batchCount = Shapes.size(batch);
            this.aMatrix = m * k;
            this.bMatrix = k * n;
            this.aOffsets = batchOffsets(a.base, batch, aMatrix);
            this.bOffsets = batchOffsets(b.base, batch, bMatrix);
            this.aBatches = a.base.size() / Math.max(1, aMatrix);
            this.bBatches = b.base.size() / Math.max(1, bMatrix);
            this.folded = !ta && bBatches == 1 && aBatches == batchCount;
            this.empty = m == 0 || n == 0 || k == 0 || batchCount == 0;
        }

        /**
         * A gradient buffer for {@link #gradA}/{@link #gradB} without {@code add}: the folded
         * product overwrites it; per-batch products add into it (broadcast batches share a matrix),
         * so those start from zeros.
         */
        float[] freshGrad(int size) {
            return folded && !empty ? StepBuffers.uninitialized(size) : StepBuffers.zeroed(size);
        }

        /** Offset of each output batch's matrix in a contiguous base (broadcast dims repeat). */
        private static int[] batchOffsets(Tensor base, int[] batch, int matrix) {
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

        void forward(float[] c) {
            float[] ad = a.base.data, bd = b.base.data;
            int ao = a.base.offset, bo = b.base.offset;
            if (empty) return;
            if (folded) {
                Gemm.gemm(false, tb, m * batchCount, n, k, ad, ao, bd, bo, c, 0, false);
                return;
            }
            eachBatch(true, t -> Gemm.gemm(ta, tb, m, n, k, ad, ao + aOffsets[t], bd, bo + bOffsets[t], c, t * m * n, false));
        }

        /**
         * Runs one GEMM per batch entry. Many small products (attention: batch·heads GEMMs of
         * 256×256×64) go to the workers whole, one product per chunk, instead of splitting each
         * small product over the threads: a split 8-MFLOP product spent most of its time waking
         * workers and waiting at packing barriers (~100 GFLOP/s against ~200 whole). Only when
         * every entry writes its own output ({@code distinct}), so no two threads add into the
         * same matrix; each product's arithmetic is unchanged, so results are identical.
         */
        private void eachBatch(boolean distinct, java.util.function.IntConsumer gemm) {
            long flops = 2L * m * n * k;
            if (distinct && batchCount >= 2 && flops <= SMALL_BATCHED_FLOPS) {
                Workers.parallelFor(batchCount, 1, (s, e) -> {
                    for (int t = s; t < e; t++) gemm.accept(t);
                });
            } else {
                for (int t = 0; t < batchCount; t++) gemm.accept(t);
            }
        }

        /**
         * Gradient of a's base buffer from dC (contiguous [batch, m, n]), written into ga (zeros, or
         * with {@code add} the gradient accumulated so far, which the products add into).
         */
        float[] gradA(float[] dc, float[] ga, boolean add) {
            float[] bd = b.base.data;
            int bo = b.base.offset;
            if (empty) return ga;
            if (folded) { // dA[MB×K] = dC[MB×N] · op(B)ᵀ
                Gemm.gemm(false, !tb, m * batchCount, k, n, dc, 0, bd, bo, ga, 0, add);
                return ga;
            }
            eachBatch(aBatches == batchCount, t -> {
                int dco = t * m * n;
                if (!ta) { // stored M×K: dC · op(B)ᵀ
                    Gemm.gemm(false, !tb, m, k, n, dc, dco, bd, bo + bOffsets[t], ga, aOffsets[t], true);
                } else { // stored K×M: (dC · op(B)ᵀ)ᵀ = op(B) · dCᵀ
                    Gemm.gemm(tb, true, k, m, n, bd, bo + bOffsets[t], dc, dco, ga, aOffsets[t], true);
                }
            });
            return ga;
        }

        /** Gradient of b's base buffer from dC, into gb (zeros, or with {@code add} the gradient so far). */
        float[] gradB(float[] dc, float[] gb, boolean add) {
            float[] ad = a.base.data;
            int ao = a.base.offset;
            if (empty) return gb;
            if (folded) { // a stored [MB×K] untransposed
                if (!tb) Gemm.gemm(true, false, k, n, m * batchCount, ad, ao, dc, 0, gb, 0, add);
                else Gemm.gemm(true, false, n, k, m * batchCount, dc, 0, ad, ao, gb, 0, add);
                return gb;
            }
            eachBatch(bBatches == batchCount, t -> {
                int dco = t * m * n;
                if (!tb) { // stored K×N: op(A)ᵀ · dC
                    Gemm.gemm(!ta, false, k, n, m, ad, ao + aOffsets[t], dc, dco, gb, bOffsets[t], true);
                } else { // stored N×K: dCᵀ · op(A)
                    Gemm.gemm(true, ta, n, k, m, dc, dco, ad, ao + aOffsets[t], gb, bOffsets[t], true);
                }
            });
            return gb;
        }
    }
}
