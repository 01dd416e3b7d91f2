package dev.resumo.train.rouge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.data.JsonLinesFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Lead-1 and Lead-3 on the TeMário test split (read in place from ../shared), checked against a naive recount. */
class TemarioLeadBaselineTest {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}]+|\\p{N}+");

    @Test
    void leadBaselinesOnTemarioTest() {
        Path file = Path.of(System.getProperty("resumo.shared", "../shared"), "data/temario/temario.jsonl");
        Assumptions.assumeTrue(Files.isRegularFile(file), "TeMário not found at " + file + " (../shared absent)");
        List<String> texts = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        for (JsonLinesFile.Row row : JsonLinesFile.read(file, "dataset")) {
            if (row.text("split").equals("test")) {
                texts.add(row.text("text"));
                summaries.add(row.text("summary"));
            }
        }
        assertEquals(10, texts.size(), "TeMário has 10 test rows");
        BootstrapAggregator bootstrap = new BootstrapAggregator(1000, 0.95, 42);
        double[] recall = new double[4];
        int k = 0;
        for (int lead : new int[] {1, 3}) {
            LeadBaseline baseline = new LeadBaseline(lead, new SentenceSplitter());
            List<String> predictions = texts.stream().map(baseline::summarize).toList();
            for (Tokenization t : Tokenization.values()) {
                RougeReport report = new CorpusRouge(t, false, bootstrap).evaluate(summaries, predictions);
                RougeScores m = report.mean();
                System.out.printf(Locale.ROOT, "TeMário test Lead-%d %-11s R1 %.4f R2 %.4f RL %.4f RLsum %.4f (F, %d docs)%n",
                        lead, t.flag(), m.rouge1().fmeasure(), m.rouge2().fmeasure(), m.rougeL().fmeasure(),
                        m.rougeLsum().fmeasure(), report.count());
                recall[k++] = m.rouge1().recall();
                if (t == Tokenization.PT) {
                    // an independent unigram recount (regex words, multiset overlap) must agree closely
                    double naive = naiveRouge1Recall(summaries, predictions);
                    assertEquals(naive, m.rouge1().recall(), 0.005, "pt ROUGE-1 recall vs naive recount");
                }
                assertTrue(m.rouge1().fmeasure() > 0.03 && m.rouge1().fmeasure() < 0.6, "plausible ROUGE-1 F");
                assertTrue(m.rouge2().fmeasure() < m.rouge1().fmeasure(), "ROUGE-2 below ROUGE-1");
            }
        }
        assertTrue(recall[2] > 2 * recall[0], "Lead-3 recalls much more of the summaries than Lead-1");
    }

    private static double naiveRouge1Recall(List<String> references, List<String> predictions) {
        double sum = 0;
        for (int i = 0; i < references.size(); i++) {
            Map<String, Integer> ref = counts(references.get(i));
            Map<String, Integer> pred = counts(predictions.get(i));
            int total = ref.values().stream().mapToInt(Integer::intValue).sum();
            int overlap = 0;
            for (Map.Entry<String, Integer> e : ref.entrySet()) overlap += Math.min(e.getValue(), pred.getOrDefault(e.getKey(), 0));
            sum += (double) overlap / total;
        }
        return sum / references.size();
    }

    private static Map<String, Integer> counts(String text) {
        Map<String, Integer> counts = new HashMap<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) counts.merge(m.group(), 1, Integer::sum);
        return counts;
    }
}
