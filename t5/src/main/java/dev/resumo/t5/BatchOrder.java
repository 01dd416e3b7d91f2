package dev.resumo.t5;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The order in which a list of inputs is cut into generation batches: longest first, equal
 * lengths in input order. Why: a batch is padded to its longest input, and the encoder pays for
 * the padding as for real tokens (a 40-token text beside a 512-token one costs as much as a second
 * 512-token text); sorted, the texts of a batch have about the same length. A text's summary does
 * not depend on the batch it lands in (the mask hides the padding; GeneratorTest checks a padded
 * row against the same input alone), so only the time changes; sampling too, each row drawing from its
 * own generator seeded with the seed. Longest first: the largest batch runs first, so a run that
 * cannot hold it in memory fails at the start, not at the end.
 */
final class BatchOrder {
    private BatchOrder() {}

    /** The batches of at most {@code batchSize} indices of {@code rows}: the longest rows first, ties in index order. */
    static int[][] batches(int[][] rows, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        int[] order = longestFirst(rows);
        // No batch holds more than every row: without this cap, `--batch-size 2147483647` overflowed
        // order.length + batchSize - 1 into zero batches, and `resumo summarize --input` wrote no
        // line at all and exited 0.
        int size = Math.min(batchSize, Math.max(1, order.length));
        int[][] out = new int[(order.length + size - 1) / size][];
        for (int b = 0; b < out.length; b++) {
            out[b] = Arrays.copyOfRange(order, b * size, Math.min(order.length, (b + 1) * size));
        }
        return out;
    }

    /** Indices of {@code rows}, the longest first, ties in index order. */
    static int[] longestFirst(int[][] rows) {
        Integer[] order = new Integer[rows.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -rows[i].length)); // stable: ties keep index order
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) out[i] = order[i];
        return out;
    }
}
