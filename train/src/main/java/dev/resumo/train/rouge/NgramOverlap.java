package dev.resumo.train.rouge;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ROUGE-N: clipped n-gram overlap, precision over the prediction's n-grams, recall over the target's. */
final class NgramOverlap {
    private NgramOverlap() {}

    static Score score(List<String> target, List<String> prediction, int n) {
        Map<List<String>, Integer> targetCounts = count(target, n);
        Map<List<String>, Integer> predictionCounts = count(prediction, n);
        int overlap = 0;
        for (Map.Entry<List<String>, Integer> e : targetCounts.entrySet()) {
            overlap += Math.min(e.getValue(), predictionCounts.getOrDefault(e.getKey(), 0));
        }
        int targetTotal = Math.max(0, target.size() - n + 1);
        int predictionTotal = Math.max(0, prediction.size() - n + 1);
        // rouge_score divides by max(count, 1), so an empty side scores 0 instead of failing.
        return Score.of((double) overlap / Math.max(predictionTotal, 1), (double) overlap / Math.max(targetTotal, 1));
    }

    private static Map<List<String>, Integer> count(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }
}
