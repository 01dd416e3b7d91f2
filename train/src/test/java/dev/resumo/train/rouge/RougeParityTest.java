package dev.resumo.train.rouge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Every per-pair figure against the Python rouge-score package (weights-tools/make_rouge_reference.py):
 * plain rouge_score with and without its Porter stemmer, and rouge_score with the pt tokenizer
 * passed in, with and without nltk's Portuguese Snowball.
 */
class RougeParityTest {
    /** Scores are ratios of small integer counts; 1e-6 only absorbs float formatting, any logic slip is >= 1e-3. */
    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest
    @CsvSource({"classic, rouge-score, false", "classic_stem, rouge-score, true", "pt, pt, false", "pt_stem, pt, true"})
    void everyFigureMatchesRougeScore(String setting, String tokenization, boolean stem) {
        List<ReferenceFiles.Pair> pairs = ReferenceFiles.pairs();
        JsonNode expected = ReferenceFiles.json("expected.json").get(setting);
        assertEquals(pairs.size(), expected.size(), "reference file pairs");
        RougeScorer scorer = new RougeScorer(Tokenization.parse(tokenization).newTokenizer(stem));
        int figures = 0;
        List<String> matched = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            ReferenceFiles.Pair pair = pairs.get(i);
            RougeScores actual = scorer.score(pair.reference(), pair.prediction());
            for (String type : RougeScores.NAMES) {
                JsonNode e = expected.get(i).get(type);
                Score a = actual.get(type);
                String where = setting + " " + pair.id() + " " + type;
                assertEquals(e.get("precision").asDouble(), a.precision(), TOLERANCE, where + " precision");
                assertEquals(e.get("recall").asDouble(), a.recall(), TOLERANCE, where + " recall");
                assertEquals(e.get("fmeasure").asDouble(), a.fmeasure(), TOLERANCE, where + " fmeasure");
                figures += 3;
            }
            matched.add(pair.id());
        }
        System.out.printf("ROUGE parity %s: %d/%d pairs matched rouge_score (%d figures, tol %.0e)%n",
                setting, matched.size(), pairs.size(), figures, TOLERANCE);
        assertTrue(pairs.size() >= 40, "expected about 40 reference pairs, found " + pairs.size());
    }

    @Test
    void ptTokensMatchThePythonTokenizer() {
        List<ReferenceFiles.Pair> pairs = ReferenceFiles.pairs();
        JsonNode expected = ReferenceFiles.json("expected.json").get("tokens_pt");
        PortugueseTokenizer tokenizer = new PortugueseTokenizer(null);
        for (int i = 0; i < pairs.size(); i++) {
            List<String> actual = new ArrayList<>(tokenizer.tokenize(pairs.get(i).prediction()));
            actual.add("||");
            actual.addAll(tokenizer.tokenize(pairs.get(i).reference()));
            List<String> want = new ArrayList<>();
            expected.get(i).forEach(n -> want.add(n.asText()));
            assertEquals(want, actual, "pt tokens of " + pairs.get(i).id());
        }
        System.out.printf("pt tokens: %d/%d pairs identical to the Python tokenizer%n", pairs.size(), pairs.size());
    }
}
