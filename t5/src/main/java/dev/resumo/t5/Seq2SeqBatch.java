package dev.resumo.t5;

import java.util.Arrays;

/**
 * A padded batch for teacher-forced training or scoring, row-major: inputIds and attentionMask
 * are [batch, sourceLength]; labels are [batch, targetLength] with -100 where nothing is scored.
 */
public record Seq2SeqBatch(int batch, int sourceLength, int[] inputIds, int[] attentionMask,
                           int targetLength, int[] labels) {
    public static final int IGNORE = -100;

    public Seq2SeqBatch {
        if (batch <= 0 || sourceLength <= 0 || targetLength <= 0) {
            throw new IllegalArgumentException("empty batch: " + batch + "×" + sourceLength + " → " + targetLength);
        }
        if (inputIds.length != batch * sourceLength || attentionMask.length != batch * sourceLength) {
            throw new IllegalArgumentException("inputIds/attentionMask must have " + batch * sourceLength + " entries");
        }
        if (labels.length != batch * targetLength) {
            throw new IllegalArgumentException("labels must have " + batch * targetLength + " entries");
        }
    }

    /**
     * Labels shifted right by one, starting with the decoder start token, -100 replaced by pad:
     * what the decoder reads while it is trained to predict the labels (HF's _shift_right).
     */
    public int[] decoderInputIds(int decoderStartTokenId, int padTokenId) {
        int[] dec = new int[labels.length];
        for (int b = 0; b < batch; b++) {
            int row = b * targetLength;
            dec[row] = decoderStartTokenId;
            for (int t = 1; t < targetLength; t++) {
                int l = labels[row + t - 1];
                dec[row + t] = l == IGNORE ? padTokenId : l;
            }
        }
        return dec;
    }

    /** Number of label positions that count in the loss. */
    public int scoredTokens() {
        return (int) Arrays.stream(labels).filter(l -> l != IGNORE).count();
    }
}
