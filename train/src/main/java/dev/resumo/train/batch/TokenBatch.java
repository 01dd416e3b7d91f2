package dev.resumo.train.batch;

import java.util.List;

/**
 * A padded batch, padded only to its own longest source and target (dynamic padding), in the
 * layout of Hugging Face T5: pad id 0, labels -100 on padding, decoder inputs = labels shifted
 * right with the pad id as start token.
 */
public record TokenBatch(
        String[] ids,
        int batchSize,
        int sourceLength,
        int targetLength,
        int[] inputIds,
        int[] attentionMask,
        int[] labels,
        int[] decoderInputIds,
        int targetTokens) {

    public static final int PAD_ID = 0;
    public static final int IGNORE_INDEX = -100;

    public static TokenBatch of(List<TokenizedExample> examples) {
        int b = examples.size();
        int s = 0, t = 0;
        for (TokenizedExample e : examples) {
            s = Math.max(s, e.source().length);
            t = Math.max(t, e.target().length);
        }
        String[] ids = new String[b];
        int[] input = new int[b * s];
        int[] mask = new int[b * s];
        int[] labels = new int[b * t];
        int[] decoderInput = new int[b * t];
        java.util.Arrays.fill(labels, IGNORE_INDEX);
        int tokens = 0;
        for (int i = 0; i < b; i++) {
            TokenizedExample e = examples.get(i);
            ids[i] = e.id();
            System.arraycopy(e.source(), 0, input, i * s, e.source().length);
            java.util.Arrays.fill(mask, i * s, i * s + e.source().length, 1);
            System.arraycopy(e.target(), 0, labels, i * t, e.target().length);
            // HF shifts the padded labels right (start token = pad) and maps -100 back to pad.
            decoderInput[i * t] = PAD_ID;
            System.arraycopy(e.target(), 0, decoderInput, i * t + 1, Math.min(e.target().length, t - 1));
            tokens += e.target().length;
        }
        return new TokenBatch(ids, b, s, t, input, mask, labels, decoderInput, tokens);
    }

    /** Source tokens that are not padding (for tokens/s). */
    public int sourceTokens() {
        int n = 0;
        for (int m : attentionMask) n += m;
        return n;
    }
}
