package dev.resumo.train.data;

/** One summarization pair: a source text and its reference summary, with a stable id. */
public record Example(String id, String text, String summary) {
    public Example {
        if (id == null || text == null || summary == null) throw new IllegalArgumentException("example: id, text and summary must not be null");
    }
}
