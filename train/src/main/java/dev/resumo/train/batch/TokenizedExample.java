package dev.resumo.train.batch;

/** One example as token ids: source (prefix + text, truncated, ending in </s>) and target (summary + </s>). */
public record TokenizedExample(String id, int[] source, int[] target) {
    public TokenizedExample {
        if (source.length == 0) throw new IllegalArgumentException("example " + id + ": empty source");
        if (target.length == 0) throw new IllegalArgumentException("example " + id + ": empty target");
    }
}
