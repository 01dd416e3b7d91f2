package dev.resumo.train.eval;

import dev.resumo.train.PhaseTimes;
import dev.resumo.train.Seq2SeqModel;
import dev.resumo.train.batch.TokenBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluation at a checkpoint: eval loss (token-weighted mean cross-entropy over the eval set) and,
 * when a generator is given, ROUGE of generated summaries against the references.
 */
public final class Evaluator {
    private final List<TokenBatch> batches;
    private final List<String> texts;
    private final List<String> references;
    private final SummaryGenerator generator;
    private final SummaryScorer scorer;
    private List<String> lastPredictions = List.of();

    /**
     * @param texts raw eval texts (no prefix) for generation; references their summaries
     * @param generator null to skip generation (eval loss only)
     */
    public Evaluator(List<TokenBatch> batches, List<String> texts, List<String> references,
                     SummaryGenerator generator, SummaryScorer scorer) {
        if (batches.isEmpty()) throw new IllegalArgumentException("no evaluation examples");
        if (texts.size() != references.size()) throw new IllegalArgumentException("texts and references differ in number");
        if (generator != null && scorer == null) throw new IllegalArgumentException("a generator needs a scorer");
        this.batches = List.copyOf(batches);
        this.texts = List.copyOf(texts);
        this.references = List.copyOf(references);
        this.generator = generator;
        this.scorer = scorer;
    }

    public double loss(Seq2SeqModel model) {
        double sum = 0;
        long tokens = 0;
        for (TokenBatch b : batches) {
            sum += (double) model.evalLoss(b) * b.targetTokens();
            tokens += b.targetTokens();
        }
        return sum / tokens;
    }

    /** eval_loss, and rouge* when generating. */
    public Map<String, Double> evaluate(Seq2SeqModel model, boolean generate) {
        return evaluate(model, generate, new PhaseTimes());
    }

    /** {@link #evaluate(Seq2SeqModel, boolean)}, adding the time of loss, summaries and ROUGE to {@code times}. */
    public Map<String, Double> evaluate(Seq2SeqModel model, boolean generate, PhaseTimes times) {
        Map<String, Double> m = new LinkedHashMap<>();
        long t = System.nanoTime();
        m.put("eval_loss", loss(model));
        t = times.add(PhaseTimes.Phase.EVAL_LOSS, t);
        if (generate && generator != null && !texts.isEmpty()) {
            lastPredictions = generator.summarize(texts);
            t = times.add(PhaseTimes.Phase.EVAL_SUMMARIES, t);
            for (Map.Entry<String, Double> e : scorer.score(lastPredictions, references).entrySet()) {
                m.put(e.getKey(), e.getValue());
            }
            times.add(PhaseTimes.Phase.ROUGE, t);
        }
        return m;
    }

    public boolean generates() {
        return generator != null && !texts.isEmpty();
    }

    /** The texts summarized at each evaluation and their reference summaries (same order as the predictions). */
    public List<String> texts() {
        return texts;
    }

    public List<String> references() {
        return references;
    }

    public List<String> lastPredictions() {
        return lastPredictions;
    }
}
