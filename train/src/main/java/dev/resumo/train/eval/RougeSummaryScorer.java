package dev.resumo.train.eval;

import dev.resumo.train.rouge.BootstrapAggregator;
import dev.resumo.train.rouge.CorpusRouge;
import dev.resumo.train.rouge.RougeScores;
import dev.resumo.train.rouge.Tokenization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mean ROUGE F1 over pairs: Portuguese tokenization (accents kept), no stemmer — the defaults of `resumo rouge` and `resumo eval`. */
public final class RougeSummaryScorer implements SummaryScorer {
    // Bootstrap intervals are not needed for checkpoint selection; CorpusRouge wants an aggregator anyway.
    private final CorpusRouge rouge = new CorpusRouge(Tokenization.PT, false, new BootstrapAggregator(1, 0.95, 0));

    @Override
    public Map<String, Double> score(List<String> predictions, List<String> references) {
        double[] sums = new double[RougeScores.NAMES.length];
        for (int i = 0; i < predictions.size(); i++) {
            RougeScores s = rouge.score(references.get(i), predictions.get(i));
            for (int k = 0; k < sums.length; k++) sums[k] += s.get(RougeScores.NAMES[k]).fmeasure();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < sums.length; k++) out.put(RougeScores.NAMES[k], sums[k] / predictions.size());
        return out;
    }
}
