package dev.resumo.train.rouge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scores many prediction/reference pairs and aggregates them into a {@link RougeReport}. */
public final class CorpusRouge {
    private final Tokenization tokenization;
    private final RougeScorer scorer;
    private final SentenceSplitter splitter = new SentenceSplitter();
    private final BootstrapAggregator bootstrap;

    public CorpusRouge(Tokenization tokenization, boolean stem, BootstrapAggregator bootstrap) {
        this.tokenization = tokenization;
        this.scorer = new RougeScorer(tokenization.newTokenizer(stem));
        this.bootstrap = bootstrap;
    }

    /** Scores one pair; only ROUGE-Lsum sees the texts prepared (sentence-split) for the chosen tokenization. */
    public RougeScores score(String reference, String prediction) {
        return scorer.score(reference, prediction,
                tokenization.prepare(reference, splitter), tokenization.prepare(prediction, splitter));
    }

    /** @param references and predictions: paired by position, same size, at least one pair */
    public RougeReport evaluate(List<String> references, List<String> predictions) {
        if (references.size() != predictions.size()) {
            throw new IllegalArgumentException(references.size() + " references but " + predictions.size() + " predictions");
        }
        if (references.isEmpty()) throw new IllegalArgumentException("no pairs to score");
        List<RougeScores> perPair = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) perPair.add(score(references.get(i), predictions.get(i)));
        Score[] means = new Score[RougeScores.NAMES.length];
        Map<String, Interval> intervals = new LinkedHashMap<>();
        for (int t = 0; t < RougeScores.NAMES.length; t++) {
            String name = RougeScores.NAMES[t];
            List<Score> column = new ArrayList<>();
            for (RougeScores s : perPair) column.add(s.get(name));
            means[t] = mean(column);
            intervals.put(name, bootstrap.aggregate(column));
        }
        return new RougeReport(new RougeScores(means[0], means[1], means[2], means[3]), perPair.size(), intervals, bootstrap);
    }

    private static Score mean(List<Score> scores) {
        double p = 0;
        double r = 0;
        double f = 0;
        for (Score s : scores) {
            p += s.precision();
            r += s.recall();
            f += s.fmeasure();
        }
        int n = scores.size();
        return new Score(p / n, r / n, f / n);
    }
}
