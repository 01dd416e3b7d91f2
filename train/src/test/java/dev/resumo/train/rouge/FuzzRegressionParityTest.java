package dev.resumo.train.rouge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pairs weights-tools/fuzz_rouge_parity.py found Resumo scoring differently from rouge_score
 * (shrunk, in rouge/fuzz_regressions.jsonl with rouge_score's figures), through CorpusRouge.score:
 * the path `resumo rouge`, eval, baseline and train take. For pt, ROUGE-Lsum is left out: it
 * reads the texts after Resumo's own sentence splitting, which rouge_score does not have.
 */
class FuzzRegressionParityTest {
    /** Both sides divide the same integer counts in doubles; 1e-12 absorbs nothing but operation order. */
    private static final double TOLERANCE = 1e-12;

    @ParameterizedTest
    @CsvSource({"classic, rouge-score, false", "classic_stem, rouge-score, true", "pt, pt, false", "pt_stem, pt, true"})
    void corpusScoresMatchRougeScore(String setting, String tokenization, boolean stem) {
        CorpusRouge rouge = new CorpusRouge(Tokenization.parse(tokenization), stem, new BootstrapAggregator(1, 0.95, 1));
        List<JsonNode> rows = rows();
        assertTrue(rows.size() >= 3, "expected the fuzz regressions, found " + rows.size());
        for (JsonNode row : rows) {
            RougeScores actual = rouge.score(row.get("reference").asText(), row.get("prediction").asText());
            for (String type : RougeScores.NAMES) {
                if (type.equals("rougeLsum") && tokenization.equals("pt")) continue;
                JsonNode want = row.get("expected").get(setting).get(type);
                Score got = actual.get(type);
                String where = row.get("id").asText() + " " + setting + " " + type;
                assertEquals(want.get(0).asDouble(), got.precision(), TOLERANCE, where + " precision");
                assertEquals(want.get(1).asDouble(), got.recall(), TOLERANCE, where + " recall");
                assertEquals(want.get(2).asDouble(), got.fmeasure(), TOLERANCE, where + " fmeasure");
            }
        }
    }

    private static List<JsonNode> rows() {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = FuzzRegressionParityTest.class.getResourceAsStream("/rouge/fuzz_regressions.jsonl")) {
            if (in == null) throw new IllegalStateException("missing test resource rouge/fuzz_regressions.jsonl");
            List<JsonNode> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) rows.add(json.readTree(line));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
