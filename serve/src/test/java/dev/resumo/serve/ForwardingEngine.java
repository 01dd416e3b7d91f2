package dev.resumo.serve;

import dev.resumo.t5.generate.GenerationConfig;
import java.util.List;

/** An engine that hands every call to another; tests override the one call they change. */
class ForwardingEngine implements SummaryEngine {
    final SummaryEngine inner;

    ForwardingEngine(SummaryEngine inner) {
        this.inner = inner;
    }

    @Override
    public String modelName() {
        return inner.modelName();
    }

    @Override
    public GenerationConfig defaults() {
        return inner.defaults();
    }

    @Override
    public int maxInputTokens() {
        return inner.maxInputTokens();
    }

    @Override
    public int inputTokens(String text) {
        return inner.inputTokens(text);
    }

    @Override
    public List<Summary> summarize(List<String> texts, GenerationConfig settings, CancellationToken cancel) {
        return inner.summarize(texts, settings, cancel);
    }
}
