package dev.resumo.tokenizer;

/**
 * Token ids of several texts, truncated and padded to one width.
 *
 * @param ids           {@code [texts][width]}: each row its ids, then the pad id
 * @param attentionMask {@code [texts][width]}: 1 for real tokens, 0 for padding
 * @param lengths       real token count of each row
 */
public record EncodedBatch(int[][] ids, int[][] attentionMask, int[] lengths) {
    /** Width of every row: the longest text's length after truncation. */
    public int width() {
        return ids.length == 0 ? 0 : ids[0].length;
    }
}
