package dev.resumo.train.rouge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A {@link RougeReport} as JSON: {"rouge1": {"precision", "recall", "fmeasure"}, "rouge2", "rougeL",
 * "rougeLsum", "count", "bootstrap": {"samples", "confidence", "seed", "rouge1": {"low", "mid",
 * "high"}, ...}, "settings": {"tokenization", "stemmer"}}. Means are over pairs.
 */
public final class RougeReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RougeReportJson() {}

    public static ObjectNode toJson(RougeReport report, Tokenization tokenization, boolean stem) {
        ObjectNode root = JSON.createObjectNode();
        for (Map.Entry<String, Score> e : report.mean().asMap().entrySet()) root.set(e.getKey(), score(e.getValue()));
        root.put("count", report.count());
        ObjectNode bootstrap = root.putObject("bootstrap");
        bootstrap.put("samples", report.settings().samples());
        bootstrap.put("confidence", report.settings().confidence());
        bootstrap.put("seed", report.settings().seed());
        for (Map.Entry<String, Interval> e : report.bootstrap().entrySet()) {
            ObjectNode interval = bootstrap.putObject(e.getKey());
            interval.set("low", score(e.getValue().low()));
            interval.set("mid", score(e.getValue().mid()));
            interval.set("high", score(e.getValue().high()));
        }
        ObjectNode settings = root.putObject("settings");
        settings.put("tokenization", tokenization.flag());
        settings.put("stemmer", stem);
        return root;
    }

    private static ObjectNode score(Score s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("precision", s.precision());
        n.put("recall", s.recall());
        n.put("fmeasure", s.fmeasure());
        return n;
    }
}
