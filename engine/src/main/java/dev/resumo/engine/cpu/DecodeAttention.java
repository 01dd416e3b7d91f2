package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
 * in float32, the order Hugging Face adds them. Lane sums use {@link FixedOrderSum} and the
 * exponentials and their sum are the full forward's softmax ({@link SoftmaxKernels}: {@link VectorExp},
 * fixed accumulators), so results are the same bits in every JIT tier. (Scalar Math.exp, one
 * position at a time, was ~4% of greedy batch 8: 98 thousand exponentials per step in the cross
 * attention of PTT5-small over 256 source tokens.)
 *
 * <p>Not kept: a head-major cross-attention cache ([rows, heads, S, d_kv], each (row, head) one
 * sequential run instead of 256-byte pieces 2 KB apart). Six layers of PTT5-small's cross
 * attention over 256 positions, both layouts alternating in one JVM, same bits: 8 rows 3.69 →
 * 3.40 ms with the caches flushed between steps, 2.90 → 2.96 and 2.30 → 2.28 ms without; 1 row
 * 1.07 → 0.72, 1.11 → 0.85, 1.25 → 1.23 ms. At most ~1% of greedy decoding, for a transposing copy
 * of every projected cache and a second layout to keep.
 */
public final class DecodeAttention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Multiply-adds per parallel chunk (a chunk is one or more (row, head) pairs). */
    private static final int CHUNK_MACS = 1 << 14;
    /**
     * Per thread: a chunk's row of scores (grown to the longest attention it has seen; every
     * position is written before it is read) and the blocked kernel's partial sums. They were new
     * arrays per chunk, 12 chunks or more per decoding step and layer.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[L / 2 * L]});

    /**
     * Where the keys and values of each row and position lie (see the class comment); values start
     * at {@code valuesOff} with the keys' strides (a cache holding both in one array, interleaved
     * per position, reads its values {@code heads·d_kv} after its keys).
     */
    public record KvLayout(float[] keys, float[] values, int kvOff, int valuesOff, int rowStride, int posStride,
                           int[] slots, int slotStride) {
        /** Keys and values at the same offset of their arrays. */
        public KvLayout(float[] keys, float[] values, int kvOff, int rowStride, int posStride, int[] slots, int slotStride) {
            this(keys, values, kvOff, kvOff, rowStride, posStride, slots, slotStride);
        }
    }

    private DecodeAttention() {}

    public static void attend(int rows, int heads, int dKv, int length, float[] query, int queryOff, KvLayout kv,
                              float[] headBias, int biasOff, int biasHeadStride, float[] mask, int maskOff,
                              int maskRowStride, float[] out, int outOff) {
        attend(rows, heads, dKv, length, query, queryOff, kv, headBias, biasOff, biasHeadStride, mask, maskOff,
                maskRowStride, out, outOff, true);
    }

    /** {@link #attend}, with the blocked kernel allowed or not (tests check both give the same bits). */
    static void attend(int rows, int heads, int dKv, int length, float[] query, int queryOff, KvLayout kv,
                       float[] headBias, int biasOff, int biasHeadStride, float[] mask, int maskOff,
                       int maskRowStride, float[] out, int outOff, boolean allowBlocked) {
        if (length <= 0) throw new IllegalArgumentException("attention over " + length + " positions");
        int grain = Math.max(1, CHUNK_MACS / (2 * length * dKv));
        boolean blocked = allowBlocked && dKv % L == 0 && dKv <= 4 * L;
        Workers.parallelFor(rows * heads, grain, (t0, t1) -> {
            float[][] scratch = SCRATCH.get();
            if (scratch[0].length < length) scratch[0] = new float[length];
            float[] scores = scratch[0], part = scratch[1];
            for (int t = t0; t < t1; t++) {
                int r = t / heads, h = t % heads;
                if (blocked) {
                    blocked(r, h, heads, dKv, length, query, queryOff, kv, headBias, biasOff, biasHeadStride, mask, maskOff,
                            maskRowStride, scores, part, out, outOff);
                } else {
                    one(r, h, heads, dKv, length, query, queryOff, kv, headBias, biasOff, biasHeadStride, mask, maskOff,
                            maskRowStride, scores, 0, out, outOff);
                }
            }
        });
    }

    /**
     * {@link #one} for d_kv a multiple of the vector length, up to four vectors (T5: 64), with the
     * same bits: scores of L positions at a time reduced together by {@link LaneTree} (each grouped
     * as FixedOrderSum groups it), bias and mask added as vectors in the same order, and the
     * weighted sum of values in one pass over the positions (each output vector still sums the
     * positions in order). About 3x fewer instructions than one position at a time.
     */
    private static void blocked(int r, int h, int heads, int dKv, int length, float[] query, int queryOff, KvLayout kv,
                                float[] headBias, int biasOff, int biasHeadStride, float[] mask, int maskOff,
                                int maskRowStride, float[] scores, float[] part, float[] out, int outOff) {
        int inner = heads * dKv;
        int q = queryOff + r * inner + h * dKv;
        int head = h * dKv;
        int bias0 = headBias == null ? -1 : biasOff + h * biasHeadStride;
        int mask0 = mask == null ? -1 : maskOff + r * maskRowStride;
        int pv = length - length % L;
        FloatVector maxv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int p0 = 0; p0 < pv; p0 += L) {
            for (int t = 0; t < L / 2; t += 2) {
                int p = p0 + 2 * t;
                scores4(dKv, query, q, kv.keys(), position(kv, r, p) + head, position(kv, r, p + 1) + head,
                        position(kv, r, p + 2) + head, position(kv, r, p + 3) + head, part, t * L);
            }
            LaneTree.finishPairs(part, 0);
            FloatVector s = FloatVector.fromArray(S, part, 0);
            // bias + mask (in that order, as one() adds them), written here rather than returned by a
            // helper: a vector returned from a call C2 does not inline is boxed (see LaneTree).
            if (headBias != null) {
                FloatVector add = FloatVector.fromArray(S, headBias, bias0 + p0);
                if (mask != null) add = add.add(FloatVector.fromArray(S, mask, mask0 + p0));
                s = s.add(add);
            } else if (mask != null) {
                s = s.add(FloatVector.zero(S).add(FloatVector.fromArray(S, mask, mask0 + p0)));
            }
            s.intoArray(scores, p0);
            maxv = maxv.max(s);
        }
        float max = maxv.reduceLanes(VectorOperators.MAX); // exact in any order
        for (int p = pv; p < length; p++) {
            int k = position(kv, r, p) + head;
            FloatVector acc = FloatVector.zero(S);
            for (int d = 0; d < dKv; d += L) acc = FloatVector.fromArray(S, query, q + d).fma(FloatVector.fromArray(S, kv.keys(), k + d), acc);
            float s = FixedOrderSum.sum(acc);
            float add = 0f;
            if (headBias != null) add = headBias[bias0 + p];
            if (mask != null) add += mask[mask0 + p];
            s += add;
            scores[p] = s;
            max = Math.max(max, s);
        }
        float sum = SoftmaxKernels.expShiftInPlace(scores, 0, length, max);
        weightedValues(dKv, length, 1f / sum, scores, kv, r, head, out, outOff + r * inner + head);
    }

    /** q·k for four keys (d_kv a multiple of L), tree step 0 over the two pairs into part[at], part[at + L]. */
    private static void scores4(int dKv, float[] query, int q, float[] keys, int k0, int k1, int k2, int k3,
                                float[] part, int at) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        for (int d = 0; d < dKv; d += L) {
            FloatVector x = FloatVector.fromArray(S, query, q + d);
            s0 = x.fma(FloatVector.fromArray(S, keys, k0 + d), s0);
            s1 = x.fma(FloatVector.fromArray(S, keys, k1 + d), s1);
            s2 = x.fma(FloatVector.fromArray(S, keys, k2 + d), s2);
            s3 = x.fma(FloatVector.fromArray(S, keys, k3 + d), s3);
        }
        LaneTree.first(s0, s1).intoArray(part, at);
        LaneTree.first(s2, s3).intoArray(part, at + L);
    }

    /**
     * out[o..o+dKv) = Σ_p values(p)·(weights[p]·inv), positions in order, one pass over them (d_kv
     * up to four vectors, each its own accumulator: the same sums as one vector at a time).
     */
    private static void weightedValues(int dKv, int length, float inv, float[] weights, KvLayout kv, int r, int head,
                                       float[] out, int o) {
        float[] values = kv.values();
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int vectors = dKv / L;
        for (int p = 0; p < length; p++) {
            int v = valuePosition(kv, r, p) + head;
            FloatVector w = FloatVector.broadcast(S, weights[p] * inv);
            a0 = FloatVector.fromArray(S, values, v).fma(w, a0);
            if (vectors > 1) a1 = FloatVector.fromArray(S, values, v + L).fma(w, a1);
            if (vectors > 2) a2 = FloatVector.fromArray(S, values, v + 2 * L).fma(w, a2);
            if (vectors > 3) a3 = FloatVector.fromArray(S, values, v + 3 * L).fma(w, a3);
        }
        a0.intoArray(out, o);
        if (vectors > 1) a1.intoArray(out, o + L);
        if (vectors > 2) a2.intoArray(out, o + 2 * L);
        if (vectors > 3) a3.intoArray(out, o + 3 * L);
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
        float sum = SoftmaxKernels.expShiftInPlace(scores, sOff, length, max);
        float inv = 1f / sum;
        int o = outOff + r * inner + h * dKv;
        // Weighted sum of values, a vector of d_kv at a time (d_kv = 64: four AVX-512 registers).
        for (int d = 0; d < dv; d += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0; p < length; p++) {
                acc = FloatVector.fromArray(S, values, valuePosition(kv, r, p) + h * dKv + d).fma(FloatVector.broadcast(S, scores[sOff + p] * inv), acc);
            }
            acc.intoArray(out, o + d);
        }
        for (int d = dv; d < dKv; d++) {
            float acc = 0f;
            for (int p = 0; p < length; p++) acc = Math.fma(values[valuePosition(kv, r, p) + h * dKv + d], scores[sOff + p] * inv, acc);
            out[o + d] = acc;
        }
    }

    private static int position(KvLayout kv, int r, int p) {
        int slot = kv.slots() == null ? r : kv.slots()[r * kv.slotStride() + p];
        return kv.kvOff() + slot * kv.rowStride() + p * kv.posStride();
    }

    private static int valuePosition(KvLayout kv, int r, int p) {
        return position(kv, r, p) - kv.kvOff() + kv.valuesOff();
    }
}
