package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.ResidualNorm;
import dev.resumo.engine.Tensor;

/**
 * One T5 layer: pre-norm self-attention, (decoder only) pre-norm cross-attention over the
 * encoder output, pre-norm feed-forward; each sublayer adds its dropped-out output to the stream.
 * The full passes add each output and apply the next norm as one op ({@link Ops#addRmsNorm}: one
 * kernel launch on a device instead of two); device decode steps fold the norm into the next
 * product and the add into the output projection ({@link #step}); the host decode steps keep the
 * separate ops.
 */
final class T5Block {
    final Tensor selfNorm;
    final T5Attention selfAttention;
    final Tensor crossNorm;           // null in the encoder
    final T5Attention crossAttention; // null in the encoder
    final T5LayerFF feedForward;
    private final float eps;

    T5Block(Tensor selfNorm, T5Attention selfAttention, Tensor crossNorm, T5Attention crossAttention,
            T5LayerFF feedForward, float eps) {
        this.selfNorm = selfNorm;
        this.selfAttention = selfAttention;
        this.crossNorm = crossNorm;
        this.crossAttention = crossAttention;
        this.feedForward = feedForward;
        this.eps = eps;
    }

    /**
     * The block over the residual stream {@code in} (its sum, and that sum normed by this block's
     * self-attention norm): each sublayer reads the normed stream, and its output is added to the
     * stream and normed for the next sublayer in one {@link Ops#addRmsNorm} — by {@code nextNorm}
     * after the feed-forward (the next block's self-attention norm, or the stack's final norm).
     *
     * @param selfBias position bias + mask for self-attention, broadcastable to [B, H, S, S]
     * @param encoder encoder output [B, S_enc, D] (decoder only, else null)
     * @param crossBias encoder padding mask [B, 1, 1, S_enc] (decoder only)
     */
    ResidualNorm forward(ResidualNorm in, Tensor nextNorm, Tensor selfBias, Tensor encoder, Tensor crossBias,
                         Dropout dropout) {
        Tensor h = in.normed();
        ResidualNorm s = Ops.addRmsNorm(in.sum(), dropout.apply(selfAttention.forward(h, h, selfBias, dropout)),
                afterSelfAttention(), eps);
        if (crossAttention != null) {
            s = Ops.addRmsNorm(s.sum(), dropout.apply(crossAttention.forward(s.normed(), encoder, crossBias, dropout)),
                    feedForward.norm(), eps);
        }
        return Ops.addRmsNorm(s.sum(), feedForward.delta(s.normed(), dropout, Projection.PLAIN), nextNorm, eps);
    }

    /** The norm of the sublayer after self-attention: cross-attention's, or (encoder) the feed-forward's. */
    private Tensor afterSelfAttention() {
        return crossAttention != null ? crossNorm : feedForward.norm();
    }

    /**
     * Self-attention of one new position per row: its keys/values are written into the cache at
     * {@code position}, then it attends to positions 0..position (generation).
     */
    Tensor stepSelfAttention(Tensor x, DecoderCache cache, DecoderCache.Layer layer, int position, Tensor selfBias,
                             Projection projection) {
        Tensor h = Ops.rmsNorm(x, selfNorm, eps);
        cache.append(layer, position, projection.apply(h, selfAttention.k), projection.apply(h, selfAttention.v));
        return Ops.add(x, selfAttention.attendCached(h, cache.selfLayout(layer), position + 1, selfBias, null, projection));
    }

    /**
     * {@link #stepSelfAttention} for positions {@code position .. position+T-1} of a one-row decode
     * at once, x [T, 1, D] (draft tokens checked in one pass): keys/values of all T written, then
     * each query attends causally (see {@link T5Attention#attendCachedPositions}).
     */
    Tensor stepSelfAttentionPositions(Tensor x, DecoderCache cache, DecoderCache.Layer layer, int position,
                                      Tensor[] biases, Projection projection) {
        Tensor h = Ops.rmsNorm(x, selfNorm, eps);
        cache.appendPositions(layer, position, x.dim(0), projection.apply(h, selfAttention.k), projection.apply(h, selfAttention.v));
        return Ops.add(x, selfAttention.attendCachedPositions(h, cache.selfLayout(layer), position, biases, projection));
    }

    /** {@link #stepCrossAttention} for the T positions of a one-row decode, x [T, 1, D]. */
    Tensor stepCrossAttentionPositions(Tensor x, DecoderCache cache, DecoderCache.Layer layer, Tensor crossMask,
                                       Projection projection) {
        Tensor c = Ops.rmsNorm(x, crossNorm, eps);
        return Ops.add(x, crossAttention.attendCachedSharedRow(c, cache.crossLayoutOfRowZero(layer),
                layer.crossKeys().dim(1), crossMask, projection));
    }

    /** Cross-attention over keys/values computed once from the encoder output (generation). */
    Tensor stepCrossAttention(Tensor x, DecoderCache cache, DecoderCache.Layer layer, Tensor crossMask,
                              Projection projection) {
        Tensor c = Ops.rmsNorm(x, crossNorm, eps);
        return Ops.add(x, crossAttention.attendCached(c, cache.crossLayout(layer), layer.crossKeys().dim(1),
                null, crossMask, projection));
    }

    /** The weights one decoding step multiplies by its rows (cross-attention k/v serve only the start). */
    void stepWeights(java.util.List<Tensor> out) {
        out.add(selfAttention.q);
        out.add(selfAttention.k);
        out.add(selfAttention.v);
        out.add(selfAttention.o);
        if (crossAttention != null) {
            out.add(crossAttention.q);
            out.add(crossAttention.o);
        }
        feedForward.weights(out);
    }

    /** The step weights whose one-row input is mostly zeros (a ReLU feed-forward's output projection). */
    void sparseInputWeights(java.util.List<Tensor> out) {
        feedForward.sparseInputWeights(out);
    }

    /**
     * One decoding step of this block on a device over the residual stream {@code x} [rows, 1, D]:
     * every sublayer's pre-norm is computed by the product that reads it and every residual add by
     * the output projection that makes the delta ({@link Ops#rmsNormLinear}, {@link Ops#addLinear}:
     * for ≤ 8 rows one launch each, the norm in the GEMM's prologue and the add in its epilogue,
     * so a layer takes 8 launches where a separate add + norm per sublayer made 11). One GEMM
     * projects q, k and v together, the cache writes k and v at {@code position} in place and runs
     * the fused attention over 0..position; cross-attention runs the fused attention over
     * keys/values projected once. Returns the stream after the feed-forward (not normed: the next
     * block's products, or the lm_head's, norm it).
     */
    Tensor step(Tensor x, TensorDecoderCache cache, int layer, int position, Tensor biasByDistance, Tensor crossMask) {
        Tensor qkv = Ops.rmsNormLinear(x, selfNorm, eps, 1f, cache.qkvWeight(layer));
        x = Ops.addLinear(x, cache.self.attend(layer, position, qkv, biasByDistance), selfAttention.o);
        Tensor query = Ops.rmsNormLinear(x, crossNorm, eps, 1f, crossAttention.q);
        x = Ops.addLinear(x, crossAttention.attendProjected(query, cache.crossKeys(layer), cache.crossValues(layer), crossMask),
                crossAttention.o);
        return feedForward.stepOnDevice(x);
    }
}
