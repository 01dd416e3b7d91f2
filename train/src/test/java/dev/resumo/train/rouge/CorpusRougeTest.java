package dev.resumo.train.rouge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusRougeTest {
    private final BootstrapAggregator bootstrap = new BootstrapAggregator(200, 0.95, 1);

    @Test
    void ptSplitsSentencesForLsumButRougeScoreNeedsNewlines() {
        String reference = "O time perdeu. O treinador saiu.";
        String prediction = "O treinador saiu. O time perdeu.";
        // pt: two sentences each; every reference sentence is matched by one prediction sentence
        Score ptLsum = new CorpusRouge(Tokenization.PT, false, bootstrap).score(reference, prediction).rougeLsum();
        assertEquals(1.0, ptLsum.fmeasure(), 1e-12);
        // rouge-score: no newline, so Lsum is the LCS of the whole texts, like ROUGE-L (3 of 6 tokens)
        RougeScores classic = new CorpusRouge(Tokenization.ROUGE_SCORE, false, bootstrap).score(reference, prediction);
        assertEquals(0.5, classic.rougeLsum().fmeasure(), 1e-12);
        assertEquals(classic.rougeL(), classic.rougeLsum());
    }

    @Test
    void reportsMeansOverPairs() {
        CorpusRouge rouge = new CorpusRouge(Tokenization.PT, false, bootstrap);
        RougeReport report = rouge.evaluate(List.of("a b c d", "a b"), List.of("a b c d", "x y"));
        assertEquals(2, report.count());
        assertEquals(0.5, report.mean().rouge1().fmeasure(), 1e-12);
        assertEquals(0.5, report.mean().rouge2().recall(), 1e-12);
        assertEquals(0.0, report.bootstrap().get("rouge1").low().fmeasure(), 1e-12);
        assertEquals(1.0, report.bootstrap().get("rouge1").high().fmeasure(), 1e-12);
    }
}
