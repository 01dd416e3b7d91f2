package dev.resumo.train.eval;

import java.util.List;

/** Generates summaries of raw texts (the generator adds the task prefix) with the current weights. */
@FunctionalInterface
public interface SummaryGenerator {
    List<String> summarize(List<String> texts);
}
