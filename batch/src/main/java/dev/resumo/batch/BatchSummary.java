package dev.resumo.batch;

import java.io.Serializable;
import java.util.List;

/**
 * One text's summary as a summaries line carries it: the summary and, when more than one sequence
 * was asked for (--num-return-sequences), every returned sequence in generate()'s order, the first
 * one the summary itself.
 *
 * @param candidates empty for one sequence per text (the line then has no "candidates" field)
 */
public record BatchSummary(String summary, List<Candidate> candidates) implements Serializable {
    public BatchSummary {
        candidates = List.copyOf(candidates);
    }

    /** A summary alone: one sequence per text. */
    public static BatchSummary of(String summary) {
        return new BatchSummary(summary, List.of());
    }

    /**
     * One returned sequence.
     *
     * @param score beam search's sequence score (log-probability over length^length_penalty); NaN
     *     when the decoding has none (sampling)
     */
    public record Candidate(String summary, float score) implements Serializable {}
}
