package dev.resumo.train.rouge;

/** Precision, recall and F1 of one ROUGE variant, as rouge_score's {@code Score} tuple. */
public record Score(double precision, double recall, double fmeasure) {
    public static final Score ZERO = new Score(0, 0, 0);

    /** F1 from precision and recall; 0 when both are 0 (rouge_score's {@code scoring.fmeasure}). */
    public static Score of(double precision, double recall) {
        double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new Score(precision, recall, f);
    }
}
