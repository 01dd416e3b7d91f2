package dev.resumo.serve;

import dev.resumo.t5.generate.GenerationConfig;
import java.util.List;

/**
 * What the server needs from a model: batched summaries under given settings. The real one is
 * {@link SummarizerEngine}; tests use fakes with controllable delays.
 */
public interface SummaryEngine {
    /** One summary and how many tokens were generated for it. */
    record Summary(String text, int generatedTokens) {}

    /** Shown in every answer and in /ready. */
    String modelName();

    /** Settings used for what a request leaves out (the model's generation_config.json over the defaults). */
    GenerationConfig defaults();

    /** The most input tokens the model reads; longer inputs are truncated to it. */
    int maxInputTokens();

    /** How many tokens the model would read from this text before truncation (prefix and {@code </s>} included). */
    int inputTokens(String text);

    /**
     * Summaries of every text, in order, generated together. The engine checks {@code cancel}
     * between units of work and may stop early (the results are then not used).
     */
    List<Summary> summarize(List<String> texts, GenerationConfig settings, CancellationToken cancel);
}
