package dev.resumo.t5;

import dev.resumo.engine.Autograd;
import dev.resumo.tokenizer.T5Tokenizer;
import java.util.Arrays;

/**
 * How well a model predicts a reference summary: teacher-forced mean token cross-entropy of the
 * summary given the (prefixed) text, both truncated with {@code </s>} kept last.
 */
public final class Scorer {
    /** Mean cross-entropy (nats per token) over {@code tokens} summary tokens, {@code </s>} included. */
    public record Score(double loss, int tokens) {}

    private final T5Tokenizer tokenizer;
    private final T5Model model;
    private final String prefix;
    private final int maxSourceLength;
    private final int maxTargetLength;

    public Scorer(T5Tokenizer tokenizer, T5Model model, String prefix, int maxSourceLength, int maxTargetLength) {
        SequenceLimits.check("--max-source-length", maxSourceLength);
        if (maxTargetLength < 1) throw new IllegalArgumentException("max target length must be ≥ 1, got " + maxTargetLength);
        this.tokenizer = tokenizer;
        this.model = model;
        this.prefix = prefix == null ? "" : prefix;
        this.maxSourceLength = maxSourceLength;
        this.maxTargetLength = maxTargetLength;
    }

    public Score score(String text, String summary) {
        int[] source = truncate(tokenizer.encode(prefix + text, true), maxSourceLength);
        int[] labels = truncate(tokenizer.encode(summary, true), maxTargetLength);
        int[] mask = new int[source.length];
        Arrays.fill(mask, 1);
        Seq2SeqBatch batch = new Seq2SeqBatch(1, source.length, source, mask, labels.length, labels);
        try (var _ = Autograd.noGrad()) {
            return new Score(model.forward(batch, Dropout.OFF).loss().item(), labels.length);
        }
    }

    /** Keeps the first max-1 tokens and {@code </s>} (which encode put last). */
    private int[] truncate(int[] ids, int max) {
        if (ids.length <= max) return ids;
        int[] out = Arrays.copyOf(ids, max);
        out[max - 1] = tokenizer.eosId();
        return out;
    }
}
