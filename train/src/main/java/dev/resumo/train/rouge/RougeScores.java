package dev.resumo.train.rouge;

import java.util.LinkedHashMap;
import java.util.Map;

/** The four ROUGE variants of one prediction against one reference. */
public record RougeScores(Score rouge1, Score rouge2, Score rougeL, Score rougeLsum) {
    /** Names in rouge_score's spelling, in report order. */
    public static final String[] NAMES = {"rouge1", "rouge2", "rougeL", "rougeLsum"};

    public Score get(String name) {
        return switch (name) {
            case "rouge1" -> rouge1;
            case "rouge2" -> rouge2;
            case "rougeL" -> rougeL;
            case "rougeLsum" -> rougeLsum;
            default -> throw new IllegalArgumentException("unknown ROUGE type: " + name);
        };
    }

    public Map<String, Score> asMap() {
        Map<String, Score> m = new LinkedHashMap<>();
        for (String n : NAMES) m.put(n, get(n));
        return m;
    }
}
