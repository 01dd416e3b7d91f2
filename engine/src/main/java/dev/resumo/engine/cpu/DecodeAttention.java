package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention of one new query per row over cached keys and values (incremental decoding), fused:
 * scores, additive bias and mask, softmax and the weighted sum of values run per (row, head) in
 * one pass over that head's keys and values, spread over {@link Workers}. Nothing is materialised
 * but one row of scores per (row, head), and no autograd is recorded (inference only).
 *
 * <p>Layouts (all row-major float arrays):
 * <ul>
 * <li>query and output: [rows, heads·dKv] (head h at h·dKv, as the q projection writes it);
 * <li>keys and values: position p of row r, head h at {@code kvOff + slot(r, p)·rowStride + p·posStride + h·dKv},
 *     where slot(r, p) = {@code slots[r·slotStride + p]}, or r when {@code slots} is null. The slot
 *     table lets beam search reorder rows by index: a row that continues another reads that row's
 *     earlier positions in place instead of copying them;
 * <li>headBias: [heads, length] rows {@code biasHeadStride} apart (T5's relative position bias), or null;
 * <li>mask: [rows, length] rows {@code maskRowStride} apart (additive padding mask), or null.
 * </ul>
 * Scores are not scaled (T5 folds 1/sqrt(d_kv) into the initialisation); score = q·k + (bias + mask),
 * in float32, the order Hugging Face adds them. Lane sums use {@link FixedOrderSum} and exp is scalar
 * Math.exp, so results are the same bits in every JIT tier.
 */
public final class DecodeAttention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Multiply-adds per parallel chunk (a chunk is one or more (row, head) pairs). */
    private static final int CHUNK_MACS = 1 << 14;

    /** Where the keys and values of each row and position lie (see the class comment). */
    public record KvLayout(float[] keys, float[] values, int kvOff, int rowStride, int posStride, int[] slots,
                           int slotStride) {}

    private DecodeAttention() {}

    public static void attend(int rows, int heads, int dKv, int length, float[] query, int queryOff, KvLayout kv,
                              float[] headBias, int biasOff, int biasHeadStride, float[] mask, int maskOff,
                              int maskRowStride, float[] out, int outOff) {
        if (length <= 0) throw new IllegalArgumentException("attention over " + length + " positions");
        float[] scores = new float[rows * heads * length];
        int grain = Math.max(1, CHUNK_MACS / (2 * length * dKv));
        Workers.parallelFor(rows * heads, grain, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int r = t / heads, h = t % heads;
                one(r, h, heads, dKv, length, query, queryOff, kv, headBias, biasOff, biasHeadStride, mask, maskOff,
                        maskRowStride, scores, t * length, out, outOff);
            }
        });
    }

    private static void one(int r, int h, int heads, int dKv, int length, float[] query, int queryOff, KvLayout kv,
                            float[] headBias, int biasOff, int biasHeadStride, float[] mask, int maskOff,
                            int maskRowStride, float[] scores, int sOff, float[] out, int outOff) {
        int inner = heads * dKv;
        int q = queryOff + r * inner + h * dKv;
        int dv = S.loopBound(dKv);
        float[] keys = kv.keys(), values = kv.values();
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < length; p++) {
            int k = position(kv, r, p) + h * dKv;
            FloatVector acc = FloatVector.zero(S);
            int d = 0;
            for (; d < dv; d += L) acc = FloatVector.fromArray(S, query, q + d).fma(FloatVector.fromArray(S, keys, k + d), acc);
            float s = FixedOrderSum.sum(acc);
            for (; d < dKv; d++) s = Math.fma(query[q + d], keys[k + d], s);
            float add = 0f;
            if (headBias != null) add = headBias[biasOff + h * biasHeadStride + p];
            if (mask != null) add += mask[maskOff + r * maskRowStride + p];
            s += add;
            scores[sOff + p] = s;
            max = Math.max(max, s);
        }
        float sum = 0f;
        for (int p = 0; p < length; p++) {
            float e = (float) Math.exp(scores[sOff + p] - max);
            scores[sOff + p] = e;
            sum += e;
        }
        float inv = 1f / sum;
        int o = outOff + r * inner + h * dKv;
        // Weighted sum of values, a vector of d_kv at a time (d_kv = 64: four AVX-512 registers).
        for (int d = 0; d < dv; d += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0; p < length; p++) {
                acc = FloatVector.fromArray(S, values, position(kv, r, p) + h * dKv + d).fma(FloatVector.broadcast(S, scores[sOff + p] * inv), acc);
            }
            acc.intoArray(out, o + d);
        }
        for (int d = dv; d < dKv; d++) {
            float acc = 0f;
            for (int p = 0; p < length; p++) acc = Math.fma(values[position(kv, r, p) + h * dKv + d], scores[sOff + p] * inv, acc);
            out[o + d] = acc;
        }
    }

    private static int position(KvLayout kv, int r, int p) {
        int slot = kv.slots() == null ? r : kv.slots()[r * kv.slotStride() + p];
        return kv.kvOff() + slot * kv.rowStride() + p * kv.posStride();
    }
}
