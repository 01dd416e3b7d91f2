package dev.resumo.batch;

import java.util.List;

/** Texts in, summaries out, in order: what the pipeline needs from a model. */
@FunctionalInterface
public interface TextSummarizer {
    List<String> summarize(List<String> texts);
}
