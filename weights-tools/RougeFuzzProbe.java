import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.train.rouge.BootstrapAggregator;
import dev.resumo.train.rouge.CorpusRouge;
import dev.resumo.train.rouge.RougeScorer;
import dev.resumo.train.rouge.RougeScores;
import dev.resumo.train.rouge.RougeTokenizer;
import dev.resumo.train.rouge.Score;
import dev.resumo.train.rouge.Tokenization;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Java side of weights-tools/fuzz_rouge_parity.py: what Resumo's ROUGE says about one
 * prediction/reference pair, one JSON line in, one JSON line out. Run from the repository root after
 * building the jar:
 *
 *   java -cp cli/target/resumo.jar weights-tools/RougeFuzzProbe.java
 *
 * In:  {"prediction": "...", "reference": "..."}
 * Out: {"classic"|"classic_stem"|"pt"|"pt_stem": {rouge1..rougeLsum: [p, r, f]},
 *       "tokens": {setting: [prediction tokens, reference tokens]},
 *       "corpus": {"rouge-score"|"rouge-score_stem"|"pt"|"pt_stem": {...}}}
 * "classic*"/"pt*" are RougeScorer on the texts as given (what rouge_score is handed); "corpus" is
 * CorpusRouge.score, the path `resumo rouge`/eval/train take (pt sentence-splits first for Lsum).
 * A Java exception becomes {"error": "..."} so the fuzzer reports it instead of dying.
 */
public class RougeFuzzProbe {
    private record Setting(String name, Tokenization tokenization, boolean stem) {}

    private static final List<Setting> SETTINGS = List.of(
            new Setting("classic", Tokenization.ROUGE_SCORE, false),
            new Setting("classic_stem", Tokenization.ROUGE_SCORE, true),
            new Setting("pt", Tokenization.PT, false),
            new Setting("pt_stem", Tokenization.PT, true));

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        BootstrapAggregator bootstrap = new BootstrapAggregator(1, 0.95, 1);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (String line; (line = in.readLine()) != null; ) {
            JsonNode row = json.readTree(line);
            String prediction = row.get("prediction").asText();
            String reference = row.get("reference").asText();
            ObjectNode r = json.createObjectNode();
            try {
                ObjectNode tokens = r.putObject("tokens");
                ObjectNode corpus = r.putObject("corpus");
                for (Setting s : SETTINGS) {
                    RougeTokenizer tokenizer = s.tokenization().newTokenizer(s.stem());
                    put(r.putObject(s.name()), new RougeScorer(tokenizer).score(reference, prediction));
                    ArrayNode t = tokens.putArray(s.name());
                    t.add(strings(json, tokenizer.tokenize(prediction)));
                    t.add(strings(json, tokenizer.tokenize(reference)));
                    put(corpus.putObject(s.name()),
                            new CorpusRouge(s.tokenization(), s.stem(), bootstrap).score(reference, prediction));
                }
            } catch (RuntimeException e) {
                r.removeAll();
                r.put("error", e.toString());
            }
            out.println(json.writeValueAsString(r));
            out.flush();
        }
    }

    private static void put(ObjectNode node, RougeScores scores) {
        for (String name : RougeScores.NAMES) {
            Score s = scores.get(name);
            node.putArray(name).add(s.precision()).add(s.recall()).add(s.fmeasure());
        }
    }

    private static ArrayNode strings(ObjectMapper json, List<String> tokens) {
        ArrayNode a = json.createArrayNode();
        tokens.forEach(a::add);
        return a;
    }
}
