package dev.resumo.batch;

import java.util.ArrayList;
import java.util.List;

/** Texts in, summaries out, in order: what the pipeline needs from a model. */
@FunctionalInterface
public interface TextSummarizer {
    List<String> summarize(List<String> texts);

    /**
     * The summaries with every sequence generated per text (--num-return-sequences). By default one
     * sequence per text: the summaries of {@link #summarize}, no candidates.
     */
    default List<BatchSummary> summarizeWithCandidates(List<String> texts) {
        List<BatchSummary> out = new ArrayList<>(texts.size());
        for (String s : summarize(texts)) out.add(BatchSummary.of(s));
        return out;
    }
}
