package dev.resumo.t5;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Ops;
import dev.resumo.engine.StepBuffers;
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
    /** q, k, v stacked [3·heads·d_kv, D] on their device, and what they were made from (see {@link #stackedQkv}). */
    private record Stacked(Tensor weight, Object qBuffer, Object kBuffer, Object vBuffer, long qVersion, long kVersion,
                           long vVersion) {}
    private volatile Stacked stacked;

    T5Attention(Tensor q, Tensor k, Tensor v, Tensor o, int heads, int dKv) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.heads = heads;
        this.dKv = dKv;
    }

    /**
     * Full attention of {@code x} [B, Q, D] over {@code source} [B, K, D] (self: source == x). A
     * self-attention on a device with nothing recorded projects q, k and v with one GEMM over the
     * stacked weights and splits their heads with one copy ({@link Ops#attentionQkv}): 4 launches
     * fewer per layer (PTT5-small's encoder pass: 101 → 77 with the 6 layers).
     */
    Tensor forward(Tensor x, Tensor source, Tensor bias, Dropout dropout) {
        Tensor context;
        if (x == source && x.isOnDevice() && Ops.fusionEnabled() && !records(x, bias)) {
            context = Ops.attentionQkv(project(x, stackedQkv()), bias, heads, dropout.rate(), dropout.rng());
        } else {
            context = Ops.attention(project(x, q), project(source, k), project(source, v), bias, heads, dropout.rate(),
                    dropout.rng());
        }
        return Ops.matmul(context, o, false, true);
    }

    /**
     * Whether this layer's ops would record gradients: then the separate projections run (the stacked
     * weights are a copy, through which no gradient would reach q, k and v).
     */
    private boolean records(Tensor x, Tensor bias) {
        return Autograd.isGradEnabled() && (x.requiresGrad() || q.requiresGrad() || k.requiresGrad() || v.requiresGrad()
                || (bias != null && bias.requiresGrad()));
    }

    /**
     * q, k and v stacked [3·heads·d_kv, D] (one GEMM projects all three), made on first use and
     * again when a weight's {@link Tensor#version()} moved or its buffer was replaced (an optimizer
     * step, a restore), like {@link DecodeWeights}' copies. Costs one more copy of the three on
     * their device (38 MB for PTT5-small's 12 self-attentions); stacking per call took 3 copy
     * launches per layer, more than the GEMMs it saves in an encoder pass.
     */
    Tensor stackedQkv() {
        Stacked s = stacked;
        if (s == null || s.qBuffer() != bufferOf(q) || s.kBuffer() != bufferOf(k) || s.vBuffer() != bufferOf(v)
                || s.qVersion() != q.version() || s.kVersion() != k.version() || s.vVersion() != v.version()) {
            long qv = q.version(), kv = k.version(), vv = v.version();
            Tensor weight;
            try (var _ = Autograd.noGrad()) {
                weight = Ops.concat(0, q, k, v);
            }
            s = new Stacked(weight, bufferOf(q), bufferOf(k), bufferOf(v), qv, kv, vv);
            stacked = s;
        }
        return s.weight();
    }

    private static Object bufferOf(Tensor t) {
        return t.isOnDevice() ? t.deviceBuffer() : t.data();
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
        return attendCached(x, kv, length, headBias, mask, length, projection);
    }

    /** As above, the mask's rows {@code maskRowStride} apart (0: every row reads row 0's). */
    private Tensor attendCached(Tensor x, DecodeAttention.KvLayout kv, int length, Tensor headBias, Tensor mask,
                                int maskRowStride, Projection projection) {
        Tensor query = projection.apply(x, q).contiguous();
        int rows = x.dim(0);
        // every element written by attend; from the decode step's pool when one is open (batch 8: 16 KiB
        // per call, 24 MiB a 64-token generation otherwise)
        float[] context = StepBuffers.uninitialized(rows * heads * dKv);
        DecodeAttention.attend(rows, heads, dKv, length, query.data(), query.offset(), kv,
                headBias == null ? null : headBias.data(), headBias == null ? 0 : headBias.offset(), length,
                mask == null ? null : mask.data(), mask == null ? 0 : mask.offset(), maskRowStride, context, 0);
        return projection.apply(Tensor.ofPrefix(context, rows, 1, heads * dKv), o);
    }

    /**
     * Queries at positions {@code position .. position+T-1} of a one-row decode, x [T, 1, D]: query
     * j attends to positions 0..position+j with its own bias row ({@code biases[j]}, [1, H, 1,
     * position+j+1]), exactly the call {@link #attendCached} makes for that position alone, so each
     * gets the bits of a step of its own. Then projected by o: [T, 1, D].
     */
    Tensor attendCachedPositions(Tensor x, DecodeAttention.KvLayout kv, int position, Tensor[] biases,
                                 Projection projection) {
        Tensor query = projection.apply(x, q).contiguous();
        int count = x.dim(0), inner = heads * dKv;
        float[] context = StepBuffers.uninitialized(count * inner); // every row written below
        for (int j = 0; j < count; j++) {
            int length = position + j + 1;
            DecodeAttention.attend(1, heads, dKv, length, query.data(), query.offset() + j * inner, kv,
                    biases[j].data(), biases[j].offset(), length, null, 0, length, context, j * inner);
        }
        return projection.apply(Tensor.ofPrefix(context, count, 1, inner), o);
    }

    /**
     * Query rows [T, 1, D] that all read the keys/values {@code kv} gives row 0 (the positions of a
     * one-row decode over its cross-attention), with row 0's mask [1, 1, 1, length]: per query the
     * call {@link #attendCached} makes for one row. Then projected by o.
     */
    Tensor attendCachedSharedRow(Tensor x, DecodeAttention.KvLayout kv, int length, Tensor mask, Projection projection) {
        return attendCached(x, kv, length, null, mask, 0, projection);
    }

    /**
     * The attention of one new query per row [rows, 1, heads·d_kv] (already projected by q) over
     * keys and values projected once [rows, S, heads·d_kv] (a device decode's cross-attention): the
     * fused attention kernel; the caller projects the context by o. No tape.
     *
     * @param mask [rows, 1, 1, S] additive padding mask, or null
     */
    Tensor attendProjected(Tensor query, Tensor keys, Tensor values, Tensor mask) {
        return Ops.decodeAttention(query, keys, values, keys.dim(1), null, mask, heads);
    }
}
