package dev.resumo.train.rouge;

import java.util.List;

/** The Lead-N extractive baseline: the first N sentences of the text, one per line. */
public final class LeadBaseline {
    private final int sentences;
    private final SentenceSplitter splitter;

    public LeadBaseline(int sentences, SentenceSplitter splitter) {
        if (sentences < 1) throw new IllegalArgumentException("lead must be at least 1, got " + sentences);
        this.sentences = sentences;
        this.splitter = splitter;
    }

    public String summarize(String text) {
        List<String> all = splitter.split(text);
        return String.join("\n", all.subList(0, Math.min(sentences, all.size())));
    }
}
