package dev.resumo.serve;

import dev.resumo.t5.Summarizer;
import dev.resumo.t5.generate.GenerationCancelledException;
import dev.resumo.t5.generate.GenerationConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The real engine: a {@link Summarizer} (tokenizer + T5 model + prefix + input limit), generating
 * each batch under the settings the requests asked for, in chunks of {@code chunkSize} texts (one
 * chunk is one batched generation). Cancellation is checked before every decoding step, so a
 * request past its --timeout, or whose client hung up, stops holding the worker within one step.
 */
public final class SummarizerEngine implements SummaryEngine {
    private final Summarizer summarizer;
    private final String name;
    private final int chunkSize;

    public SummarizerEngine(Summarizer summarizer, String name, int chunkSize) {
        if (chunkSize < 1) throw new IllegalArgumentException("chunk size must be ≥ 1, got " + chunkSize);
        this.summarizer = summarizer;
        this.name = name;
        this.chunkSize = chunkSize;
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public GenerationConfig defaults() {
        return summarizer.generation();
    }

    @Override
    public int maxInputTokens() {
        return summarizer.maxSourceLength();
    }

    @Override
    public int inputTokens(String text) {
        return summarizer.tokenizer().encode(summarizer.prefix() + text, true).length;
    }

    @Override
    public List<Summary> summarize(List<String> texts, GenerationConfig settings, CancellationToken cancel) {
        Summarizer withSettings = new Summarizer(summarizer.tokenizer(), summarizer.model(), settings, summarizer.prefix(),
                summarizer.maxSourceLength(), chunkSize);
        List<Summary> out = new ArrayList<>(texts.size());
        try {
            for (Summarizer.Summary s : withSettings.summarize(texts, cancel::isCancelled)) {
                out.add(new Summary(s.text(), s.ids().length));
            }
        } catch (GenerationCancelledException e) {
            return List.of(); // nobody waits for these summaries any more
        }
        return out;
    }
}
