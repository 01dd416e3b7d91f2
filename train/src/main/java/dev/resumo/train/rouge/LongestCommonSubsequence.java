package dev.resumo.train.rouge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * ROUGE-L (LCS of the whole token sequences) and ROUGE-Lsum (summary-level union LCS over
 * sentences, with ROUGE-1.5.5's guard against counting a token more often than it occurs), as
 * rouge_score's {@code _score_lcs} and {@code _summary_level_lcs}. The backtrack breaks ties the
 * same way rouge_score does, because the union of LCSs depends on which LCS is chosen.
 */
final class LongestCommonSubsequence {
    private LongestCommonSubsequence() {}

    static Score sentenceLevel(List<String> target, List<String> prediction) {
        if (target.isEmpty() || prediction.isEmpty()) return Score.ZERO;
        int[][] table = table(target, prediction);
        int lcs = table[target.size()][prediction.size()];
        return Score.of((double) lcs / prediction.size(), (double) lcs / target.size());
    }

    static Score summaryLevel(List<List<String>> targetSentences, List<List<String>> predictionSentences) {
        if (targetSentences.isEmpty() || predictionSentences.isEmpty()) return Score.ZERO;
        int m = totalLength(targetSentences);
        int n = totalLength(predictionSentences);
        if (m == 0 || n == 0) return Score.ZERO;
        Map<String, Integer> targetCounts = counts(targetSentences);
        Map<String, Integer> predictionCounts = counts(predictionSentences);
        int hits = 0;
        for (List<String> ref : targetSentences) {
            TreeSet<Integer> union = new TreeSet<>();
            for (List<String> candidate : predictionSentences) {
                union.addAll(lcsIndices(ref, candidate));
            }
            for (int index : union) {
                String token = ref.get(index);
                int c = predictionCounts.getOrDefault(token, 0);
                int r = targetCounts.getOrDefault(token, 0);
                if (c > 0 && r > 0) {
                    hits++;
                    predictionCounts.put(token, c - 1);
                    targetCounts.put(token, r - 1);
                }
            }
        }
        return Score.of((double) hits / n, (double) hits / m);
    }

    private static int[][] table(List<String> ref, List<String> can) {
        int[][] t = new int[ref.size() + 1][can.size() + 1];
        for (int i = 1; i <= ref.size(); i++) {
            String r = ref.get(i - 1);
            for (int j = 1; j <= can.size(); j++) {
                t[i][j] = r.equals(can.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        return t;
    }

    /** Indices into ref of one LCS, chosen as rouge_score's _backtrack_norec chooses it. */
    private static List<Integer> lcsIndices(List<String> ref, List<String> can) {
        int[][] t = table(ref, can);
        List<Integer> indices = new ArrayList<>();
        int i = ref.size();
        int j = can.size();
        while (i > 0 && j > 0) {
            if (ref.get(i - 1).equals(can.get(j - 1))) {
                indices.add(i - 1);
                i--;
                j--;
            } else if (t[i][j - 1] > t[i - 1][j]) {
                j--;
            } else {
                i--;
            }
        }
        return indices;
    }

    private static int totalLength(List<List<String>> sentences) {
        int total = 0;
        for (List<String> s : sentences) total += s.size();
        return total;
    }

    private static Map<String, Integer> counts(List<List<String>> sentences) {
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> s : sentences) {
            for (String token : s) counts.merge(token, 1, Integer::sum);
        }
        return counts;
    }
}
