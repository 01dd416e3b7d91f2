package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;

/**
 * T5's relative position bias: the distance key − query is put in a bucket (exact for short
 * distances, log-spaced up to max_distance, clamped beyond), and each bucket has one learned
 * scalar per head. Only the first layer of each stack owns the [num_buckets, num_heads] table;
 * the bias it computes is reused by every layer of the stack.
 */
public final class RelativePosition {
    private RelativePosition() {}

    /**
     * Hugging Face's {@code T5Attention._relative_position_bucket}, in the same float32 arithmetic
     * (so bucket edges fall where PyTorch puts them).
     *
     * @param relativePosition key position − query position
     * @param bidirectional true in the encoder (half the buckets for each sign), false in the
     *     decoder (only keys at or before the query matter: positive distances all map to 0)
     */
    public static int bucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
        int buckets = 0;
        int n;
        if (bidirectional) {
            numBuckets /= 2;
            if (relativePosition > 0) buckets += numBuckets;
            n = Math.abs(relativePosition);
        } else {
            n = -Math.min(relativePosition, 0);
        }
        int maxExact = numBuckets / 2;
        if (n < maxExact) return buckets + n;
        float logRatio = (float) Math.log((float) n / maxExact);
        float logRange = (float) Math.log((double) maxDistance / maxExact);
        int large = maxExact + (int) (logRatio / logRange * (float) (numBuckets - maxExact));
        return buckets + Math.min(large, numBuckets - 1);
    }

    /**
     * Bucket ids for queries at positions {@code queryStart .. queryStart+queries-1} against keys
     * {@code 0 .. keys-1}, row-major [queries, keys].
     */
    public static int[] buckets(int queryStart, int queries, int keys, boolean bidirectional,
                                int numBuckets, int maxDistance) {
        long pairs = (long) queries * keys;
        if (pairs > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("relative position bias of " + queries + " queries × " + keys
                    + " keys does not fit one array (at most 2^31 − 9 elements): lower the sequence length (at most "
                    + SequenceLimits.MAX_SEQUENCE_LENGTH + " tokens)");
        }
        int[] ids = new int[(int) pairs];
        for (int q = 0; q < queries; q++) {
            for (int k = 0; k < keys; k++) {
                ids[q * keys + k] = bucket(k - (queryStart + q), bidirectional, numBuckets, maxDistance);
            }
        }
        return ids;
    }

    /**
     * A decoder's bias by distance: [distances, heads], row d the bias of a key d positions before
     * its query (the causal buckets depend on the distance only). An incremental decode gathers it
     * once and reads it backwards from each query's position, where {@link #bias} gathered a new
     * [1, heads, 1, keys] every step.
     */
    public static Tensor decoderBiasByDistance(Tensor table, int distances, int maxDistance) {
        int numBuckets = table.dim(0);
        int[] ids = new int[distances];
        for (int d = 0; d < distances; d++) ids[d] = bucket(-d, false, numBuckets, maxDistance);
        return Ops.embedding(table, ids, distances);
    }

    /**
     * The bias added to attention scores: [1, heads, queries, keys], differentiable with respect
     * to the table [num_buckets, heads] (its gradient is a scatter-add over the buckets). The
     * bucket depends on key − query only, so it is computed once per diagonal (queries + keys − 1
     * of them, not queries × keys) and the table gathered straight into the heads-first layout:
     * the per-pair gather and its permute cost three unpooled copies of the bias a training step
     * (2 MiB each for PTT5-small's encoder at 256 tokens) and 65,536 logarithms.
     */
    public static Tensor bias(Tensor table, int queryStart, int queries, int keys, boolean bidirectional,
                              int maxDistance) {
        int numBuckets = table.dim(0);
        int heads = table.dim(1);
        // No per-pair array any more: the [heads, queries, keys] result's own size check (Shapes.size)
        // is the only limit, far past SequenceLimits.MAX_SEQUENCE_LENGTH.
        int[] byDiagonal = new int[queries == 0 || keys == 0 ? 0 : queries + keys - 1];
        for (int i = 0; i < byDiagonal.length; i++) {
            // diagonal i holds the pairs with key − query row = i − (queries − 1)
            byDiagonal[i] = bucket(i - (queries - 1) - queryStart, bidirectional, numBuckets, maxDistance);
        }
        Tensor headsFirst = Ops.toeplitzGather(table, byDiagonal, queries, keys); // [H, Q, K]
        return Ops.reshape(headsFirst, 1, heads, queries, keys);
    }
}
