package dev.resumo.engine;

import dev.resumo.engine.cpu.DropoutMasks;
import dev.resumo.engine.cpu.Gemm;
import dev.resumo.engine.cpu.SoftmaxKernels;
import dev.resumo.engine.cpu.Workers;
import java.util.Random;

/**
 * Multi-head attention as one op: context = dropout(softmax(q·kᵀ + bias))·v per head, on the merged
 * [B, S, heads·d] layout the projections produce and the output projection takes.
 *
 * <p>Why fused: composed from reshape/transpose/matmul/softmax/dropout, every layer wrote and read
 * back the head-split copies of q, k, v, the scores, the probabilities, the dropped-out
 * probabilities, the context and its merged copy (about 80 MB per encoder layer at batch 8 × 256
 * tokens, each a fresh array for the garbage collector), and each 256×256×64 product was split over
 * the threads with a barrier. Here one task is one (batch, head): the products read its q, k, v
 * blocks where they lie in the merged layout and write its context there
 * ({@link Gemm#gemmStrided}: the GEMM packs its operands anyway, so gathering each head into a
 * compact copy first was a second copy — 18% of this op's time), the two products run whole on
 * that thread, and only the probabilities (needed by the backward, as PyTorch keeps them) and the
 * output are allocated; scores live in per-thread scratch. The backward works the same way.
 *
 * <p>Per element the arithmetic is that of the composed ops (same GEMM calls, same softmax row
 * kernel, dropout with the mask {@link ActivationOps#dropout} would draw over the [B, H, Q, K]
 * probabilities), so results do not depend on the thread count. Device tensors take the composed path.
 */
final class AttentionOp {
    private AttentionOp() {}

    /** Per-thread scratch for one head's [queries, keys] blocks, grown to the largest seen. */
    private static final class Scratch {
        float[] s = new float[0], dp = new float[0], ds = new float[0], p = new float[0];

        void fit(int queries, int keys) {
            int qk = queries * keys;
            if (s.length < qk) { s = new float[qk]; dp = new float[qk]; ds = new float[qk]; p = new float[qk]; }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor bias, int heads, float rate, Random rng) {
        if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3) {
            throw new IllegalArgumentException("attention: q, k, v must be [B, S, heads·d], got "
                    + Shapes.str(q.shape) + ", " + Shapes.str(k.shape) + ", " + Shapes.str(v.shape));
        }
        int batch = q.shape[0], queries = q.shape[1], width = q.shape[2], keys = k.shape[1];
        if (k.shape[0] != batch || v.shape[0] != batch || k.shape[2] != width || v.shape[1] != keys || v.shape[2] != width) {
            throw new IllegalArgumentException("attention: k " + Shapes.str(k.shape) + " and v " + Shapes.str(v.shape)
                    + " do not match q " + Shapes.str(q.shape));
        }
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("attention: width " + width + " is not a multiple of heads " + heads);
        }
        if (!(rate >= 0f && rate <= 1f)) throw new IllegalArgumentException("attention: dropout must be in [0, 1], got " + rate);
        int[] full = {batch, heads, queries, keys};
        int[] biasStrides = null;
        if (bias != null) {
            if (bias.rank() != 4) {
                throw new IllegalArgumentException("attention: bias must be rank 4 (broadcastable to "
                        + Shapes.str(full) + "), got " + Shapes.str(bias.shape));
            }
            int[] shape;
            try {
                shape = Shapes.broadcast("attention", bias.shape, full);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("attention: bias " + Shapes.str(bias.shape) + " does not broadcast to "
                        + Shapes.str(full), e);
            }
            if (!java.util.Arrays.equals(shape, full)) {
                throw new IllegalArgumentException("attention: bias " + Shapes.str(bias.shape) + " does not broadcast to "
                        + Shapes.str(full));
            }
            biasStrides = Shapes.broadcastStrides(bias.shape, bias.strides, full);
        }
        boolean onDevice = q.isOnDevice() || k.isOnDevice() || v.isOnDevice() || (bias != null && bias.isOnDevice());
        if (onDevice || (biasStrides != null && biasStrides[3] != 1 && keys > 1)) {
            return composed(q, k, v, bias, heads, rate, rng);
        }
        return fused(q.contiguous(), k.contiguous(), v.contiguous(), bias, biasStrides, heads, rate, rng);
    }

    /** The same computation from the general ops (device tensors, unusual bias layouts). */
    static Tensor composed(Tensor q, Tensor k, Tensor v, Tensor bias, int heads, float rate, Random rng) {
        int batch = q.shape[0], queries = q.shape[1], width = q.shape[2], keys = k.shape[1], d = width / heads;
        Tensor qh = Ops.transpose(Ops.reshape(q, batch, queries, heads, d), 1, 2);
        Tensor kh = Ops.transpose(Ops.reshape(k, batch, keys, heads, d), 1, 2);
        Tensor vh = Ops.transpose(Ops.reshape(v, batch, keys, heads, d), 1, 2);
        Tensor weights = Ops.dropout(Ops.softmax(Ops.matmul(qh, kh, false, true), bias), rate, rng);
        Tensor context = Ops.matmul(weights, vh);
        return Ops.reshape(Ops.transpose(context, 1, 2), batch, queries, width);
    }

    private static Tensor fused(Tensor q, Tensor k, Tensor v, Tensor bias, int[] biasStrides, int heads, float rate,
                                Random rng) {
        int batch = q.shape[0], queries = q.shape[1], width = q.shape[2], keys = k.shape[1], d = width / heads;
        int block = queries * keys;
        // The backward needs every head's probabilities; without a tape (generation's encoder) each
        // task keeps its own in scratch, not 4M floats per layer at batch 8 × 256 tokens.
        boolean record = Autograd.shouldRecord(q, k, v) || (bias != null && Autograd.shouldRecord(bias));
        // The kernels below write every element of probs and out (each (batch, head) task its block).
        float[] probs = record ? StepBuffers.uninitialized(batch * heads * block) : null;
        byte[] keep = rate > 0f ? DropoutMasks.keepMask(batch * heads * block, rate, rng) : null;
        float keepScale = DropoutMasks.keepScale(rate);
        float[] out = keys > 0 ? StepBuffers.uninitialized(batch * queries * width) : new float[batch * queries * width];
        float[] qd = q.data, kd = k.data, vd = v.data;
        float[] bd = bias == null ? null : bias.data;
        Workers.parallelFor(batch * heads, 1, (start, end) -> {
            Scratch sc = SCRATCH.get();
            sc.fit(queries, keys);
            for (int t = start; t < end; t++) {
                int b = t / heads, h = t % heads, pOff = t * block;
                float[] p = record ? probs : sc.p;
                int pAt = record ? pOff : 0;
                int qBase = b * queries * width + h * d, kBase = b * keys * width + h * d;
                Gemm.gemmStrided(false, true, queries, keys, d, qd, q.offset + qBase, width, kd, k.offset + kBase, width,
                        sc.s, 0, keys, false);
                for (int i = 0; i < queries; i++) {
                    int bo = bd == null ? 0 : bias.offset + b * biasStrides[0] + h * biasStrides[1] + i * biasStrides[2];
                    SoftmaxKernels.softmaxRow(sc.s, i * keys, bd, bo, p, pAt + i * keys, keys);
                }
                float[] weights = p;
                int wOff = pAt;
                if (keep != null) { // dropped-out probabilities into the (now free) score buffer
                    DropoutMasks.apply(p, pAt, keep, pOff, keepScale, sc.s, 0, block);
                    weights = sc.s;
                    wOff = 0;
                }
                Gemm.gemmStrided(false, false, queries, d, keys, weights, wOff, keys, vd, v.offset + kBase, width,
                        out, qBase, width, false);
            }
        });
        Tensor result = Tensor.fresh(out, new int[] {batch, queries, width});
        if (!record) return result;
        return Tape.record(result, "attention", g -> backward(g.contiguous(), q, k, v, bias, biasStrides, heads, probs, keep,
                        keepScale),
                bias == null ? new Tensor[] {q, k, v} : new Tensor[] {q, k, v, bias});
    }

    private static void backward(Tensor g, Tensor q, Tensor k, Tensor v, Tensor bias, int[] biasStrides, int heads,
                                 float[] probs, byte[] keep, float keepScale) {
        int batch = q.shape[0], queries = q.shape[1], width = q.shape[2], keys = k.shape[1], d = width / heads;
        int block = queries * keys;
        // Each (batch, head) task overwrites its blocks of these (GEMMs without accumulate, a copy).
        boolean written = queries > 0 && keys > 0;
        float[] dq = q.requiresGrad() ? (written ? StepBuffers.uninitialized(q.size()) : new float[q.size()]) : null;
        float[] dk = k.requiresGrad() ? (written ? StepBuffers.uninitialized(k.size()) : new float[k.size()]) : null;
        float[] dv = v.requiresGrad() ? (written ? StepBuffers.uninitialized(v.size()) : new float[v.size()]) : null;
        float[] dBias = bias != null && bias.requiresGrad() ? StepBuffers.uninitialized(batch * heads * block) : null;
        float[] qd = q.data, kd = k.data, vd = v.data, gd = g.data;
        Workers.parallelFor(batch * heads, 1, (start, end) -> {
            Scratch sc = SCRATCH.get();
            sc.fit(queries, keys);
            for (int t = start; t < end; t++) {
                int b = t / heads, h = t % heads, pOff = t * block;
                int qBase = b * queries * width + h * d, kBase = b * keys * width + h * d;
                float[] weights = probs;
                int wOff = pOff;
                if (keep != null) {
                    DropoutMasks.apply(probs, pOff, keep, pOff, keepScale, sc.s, 0, block);
                    weights = sc.s;
                    wOff = 0;
                }
                if (dv != null) { // dV = weightsᵀ · dC
                    Gemm.gemmStrided(true, false, keys, d, queries, weights, wOff, keys, gd, g.offset + qBase, width,
                            dv, kBase, width, false);
                }
                if (dq == null && dk == null && dBias == null) continue;
                Gemm.gemmStrided(false, true, queries, keys, d, gd, g.offset + qBase, width, vd, v.offset + kBase, width,
                        sc.dp, 0, keys, false); // d(weights) = dC · Vᵀ
                if (keep != null) DropoutMasks.apply(sc.dp, 0, keep, pOff, keepScale, sc.dp, 0, block);
                for (int i = 0; i < queries; i++) {
                    SoftmaxKernels.softmaxBackwardRow(probs, pOff + i * keys, sc.dp, i * keys, sc.ds, i * keys, keys);
                }
                if (dBias != null) System.arraycopy(sc.ds, 0, dBias, pOff, block);
                if (dq != null) { // dQ = dS · K
                    Gemm.gemmStrided(false, false, queries, d, keys, sc.ds, 0, keys, kd, k.offset + kBase, width,
                            dq, qBase, width, false);
                }
                if (dk != null) { // dK = dSᵀ · Q
                    Gemm.gemmStrided(true, false, keys, d, queries, sc.ds, 0, keys, qd, q.offset + qBase, width,
                            dk, kBase, width, false);
                }
            }
        });
        // This node's backward runs once: its saved probabilities and dropout mask are done with.
        StepBuffers.releaseNow(probs);
        StepBuffers.releaseNow(keep);
        if (dq != null) q.accumulateFreshGrad(Tensor.fresh(dq, q.shape.clone()));
        if (dk != null) k.accumulateFreshGrad(Tensor.fresh(dk, k.shape.clone()));
        if (dv != null) v.accumulateFreshGrad(Tensor.fresh(dv, v.shape.clone()));
        if (dBias != null) {
            Tensor full = Tensor.fresh(dBias, new int[] {batch, heads, queries, keys});
            bias.accumulateGrad(ElementwiseOps.sumTo(full, bias.shape));
        }
    }
}
