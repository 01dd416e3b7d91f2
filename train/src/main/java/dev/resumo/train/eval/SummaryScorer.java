package dev.resumo.train.eval;

import java.util.List;
import java.util.Map;

/** Scores generated summaries against references: metric name (rouge1, rouge2, rougeL, rougeLsum) → F1 in [0, 1]. */
@FunctionalInterface
public interface SummaryScorer {
    Map<String, Double> score(List<String> predictions, List<String> references);
}
