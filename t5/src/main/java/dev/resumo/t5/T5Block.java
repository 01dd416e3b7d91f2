package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;

/**
 * One T5 layer: pre-norm self-attention, (decoder only) pre-norm cross-attention over the
 * encoder output, pre-norm feed-forward; each sublayer adds its dropped-out output to the stream.
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
     * @param selfBias position bias + mask for self-attention, broadcastable to [B, H, S, S]
     * @param encoder encoder output [B, S_enc, D] (decoder only, else null)
     * @param crossBias encoder padding mask [B, 1, 1, S_enc] (decoder only)
     */
    Tensor forward(Tensor x, Tensor selfBias, Tensor encoder, Tensor crossBias, Dropout dropout) {
        Tensor h = Ops.rmsNorm(x, selfNorm, eps);
        x = Ops.add(x, dropout.apply(selfAttention.forward(h, h, selfBias, dropout)));
        if (crossAttention != null) {
            Tensor c = Ops.rmsNorm(x, crossNorm, eps);
            x = Ops.add(x, dropout.apply(crossAttention.forward(c, encoder, crossBias, dropout)));
        }
        return feedForward.forward(x, dropout);
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
     * {@link #stepSelfAttention} on a device: one GEMM projects q, k and v together, the cache
     * writes k and v at {@code position} in place and runs the fused attention over 0..position.
     */
    Tensor stepSelfAttention(Tensor x, TensorDecoderCache cache, int layer, int position, Tensor biasByDistance) {
        Tensor h = Ops.rmsNorm(x, selfNorm, eps);
        Tensor qkv = Ops.matmul(h, cache.qkvWeight(layer), false, true);
        return Ops.add(x, selfAttention.output(cache.self.attend(layer, position, qkv, biasByDistance)));
    }

    /** {@link #stepCrossAttention} on a device: the fused attention over keys/values projected once. */
    Tensor stepCrossAttention(Tensor x, TensorDecoderCache cache, int layer, Tensor crossMask) {
        Tensor c = Ops.rmsNorm(x, crossNorm, eps);
        return Ops.add(x, crossAttention.attendProjected(c, cache.crossKeys(layer), cache.crossValues(layer), crossMask));
    }
}
