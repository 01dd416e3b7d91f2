package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.DecodeAttention;

/**
 * Multi-head attention as T5 does it: q, k, v, o projections without biases, scores NOT scaled
 * by 1/sqrt(d_kv) (T5 folds that into the initialisation of q), an additive bias holding the
 * relative positions and the masks, softmax in float32, dropout on the weights.
 */
final class T5Attention {
    final Tensor q;
    final Tensor k;
    final Tensor v;
    final Tensor o;
    private final int heads;
    private final int dKv;

    T5Attention(Tensor q, Tensor k, Tensor v, Tensor o, int heads, int dKv) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.heads = heads;
        this.dKv = dKv;
    }

    /** Full attention of {@code x} [B, Q, D] over {@code source} [B, K, D] (self: source == x). */
    Tensor forward(Tensor x, Tensor source, Tensor bias, Dropout dropout) {
        Tensor context = Ops.attention(project(x, q), project(source, k), project(source, v), bias, heads,
                dropout.rate(), dropout.rng());
        return Ops.matmul(context, o, false, true);
    }

    /** x [B, S, D] · Wᵀ (HF Linear weights are [out, in]) split into heads: [B, H, S, d_kv]. */
    Tensor heads(Tensor x, Tensor weight) {
        int b = x.dim(0);
        int s = x.dim(1);
        Tensor projected = Ops.matmul(x, weight, false, true);
        return Ops.transpose(Ops.reshape(projected, b, s, heads, dKv), 1, 2);
    }

    /** x [B, S, D] · Wᵀ, heads left merged: [B, S, heads·d_kv] (generation's layout). */
    Tensor project(Tensor x, Tensor weight) {
        return Ops.matmul(x, weight, false, true);
    }

    /**
     * One new query per row [rows, 1, D] attending to cached keys/values with the fused decode
     * kernel, then projected by o: [rows, 1, D]. No tape: generation only.
     *
     * @param headBias [1, H, 1, length] contiguous position bias, or null
     * @param mask [rows, 1, 1, length] contiguous additive mask, or null
     * @param projection how x meets q and the context meets o (packed weights when decoding)
     */
    Tensor attendCached(Tensor x, DecodeAttention.KvLayout kv, int length, Tensor headBias, Tensor mask,
                        Projection projection) {
        Tensor query = projection.apply(x, q).contiguous();
        int rows = x.dim(0);
        float[] context = new float[rows * heads * dKv];
        DecodeAttention.attend(rows, heads, dKv, length, query.data(), query.offset(), kv,
                headBias == null ? null : headBias.data(), headBias == null ? 0 : headBias.offset(), length,
                mask == null ? null : mask.data(), mask == null ? 0 : mask.offset(), length, context, 0);
        return projection.apply(Tensor.of(context, rows, 1, heads * dKv), o);
    }

    /**
     * softmax(q·kᵀ + bias)·v, heads merged back and projected by o.
     *
     * @param query [B, H, Q, d_kv]
     * @param keys [B, H, K, d_kv]
     * @param values [B, H, K, d_kv]
     * @param bias broadcasts to [B, H, Q, K] (position bias + mask), or null
     * @return [B, Q, D]
     */
    Tensor attend(Tensor query, Tensor keys, Tensor values, Tensor bias, Dropout dropout) {
        Tensor scores = Ops.matmul(query, keys, false, true);
        Tensor weights = dropout.apply(Ops.softmax(scores, bias));
        Tensor context = Ops.matmul(weights, values);                    // [B, H, Q, d_kv]
        int b = context.dim(0);
        int queries = context.dim(2);
        Tensor merged = Ops.reshape(Ops.transpose(context, 1, 2), b, queries, heads * dKv);
        return Ops.matmul(merged, o, false, true);
    }
}
