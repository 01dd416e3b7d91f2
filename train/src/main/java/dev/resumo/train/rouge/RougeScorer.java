package dev.resumo.train.rouge;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores one prediction against one reference: ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum, with
 * rouge_score's semantics. ROUGE-Lsum reads sentences as the lines of the text (rouge_score splits
 * on "\n" and drops empty lines); {@link Tokenization#prepare} decides whether texts are
 * sentence-split first.
 */
public final class RougeScorer {
    private final RougeTokenizer tokenizer;

    public RougeScorer(RougeTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * @param target the reference summary
     * @param prediction the generated summary
     */
    public RougeScores score(String target, String prediction) {
        return score(target, prediction, target, prediction);
    }

    /**
     * Scores with ROUGE-Lsum read from other versions of the texts (the same texts with one
     * sentence per line), as rouge_score's {@code split_summaries} does: only ROUGE-Lsum sees the
     * sentence split. Sentence splitting must not reach ROUGE-1/2/L, because the splitter breaks
     * lines at characters the tokenizer drops (form feed, vertical tab, U+0085), which would split
     * a word the tokenizer joins.
     *
     * @param targetSentences the reference summary, one sentence per line, for ROUGE-Lsum
     * @param predictionSentences the generated summary, one sentence per line, for ROUGE-Lsum
     */
    public RougeScores score(String target, String prediction, String targetSentences, String predictionSentences) {
        List<String> targetTokens = tokenizer.tokenize(target);
        List<String> predictionTokens = tokenizer.tokenize(prediction);
        return new RougeScores(
                NgramOverlap.score(targetTokens, predictionTokens, 1),
                NgramOverlap.score(targetTokens, predictionTokens, 2),
                LongestCommonSubsequence.sentenceLevel(targetTokens, predictionTokens),
                LongestCommonSubsequence.summaryLevel(lines(targetSentences), lines(predictionSentences)));
    }

    /** Tokenized non-empty lines, as rouge_score's get_sents without split_summaries. */
    private List<List<String>> lines(String text) {
        List<List<String>> sentences = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) sentences.add(tokenizer.tokenize(line));
        }
        return sentences;
    }
}
