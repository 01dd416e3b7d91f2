package dev.resumo.serve;

import dev.resumo.t5.generate.GenerationConfig;
import java.util.List;

/**
 * What the server needs from a model: batched summaries under given settings. The real one is
 * {@link SummarizerEngine}; tests use fakes with controllable delays.
 */
public interface SummaryEngine {
    /**
     * One text's summary and how many tokens were generated for it (all its candidates together).
     *
     * @param candidates the num_return_sequences sequences generated for the text, the first one
     *     {@code text} (beam search: best first)
     */
    record Summary(String text, int generatedTokens, List<String> candidates) {
        public Summary {
            candidates = List.copyOf(candidates);
        }

        /** One sequence for the text. */
        public Summary(String text, int generatedTokens) {
            this(text, generatedTokens, List.of(text));
        }
    }

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
