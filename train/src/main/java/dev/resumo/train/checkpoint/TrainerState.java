package dev.resumo.train.checkpoint;

/**
 * Everything besides weights and optimizer state that a resumed run needs to continue exactly:
 * optimizer steps done, the data position (epoch, next batch index in that epoch's plan), the
 * dropout generator's state, and the early-stopping bookkeeping; and what it was trained on
 * ({@link DataFingerprint}; null in checkpoints written before it was recorded); and the step losses
 * summed since the last logged "loss" with their count, so the first loss logged after a resume
 * averages the same steps as without the stop (0 and 0 in checkpoints written before they were kept);
 * and how a step combined its micro-batch losses ({@link #SUMMED_MICRO_BATCHES}; null in checkpoints
 * written before Resumo summed them as transformers does for T5: those averaged them); and the
 * figures of the best evaluation ({@link #bestMetrics}) and the last step evaluated
 * ({@link #lastEvaluatedStep}), so that a run resumed after its best evaluation still reports that
 * evaluation (model card, summary) and one resumed at a step it already evaluated (killed during the
 * final export, or after it stopped early) does not evaluate it a second time (both null in
 * checkpoints written before they were kept).
 */
public record TrainerState(
        long step,
        int epoch,
        int batchInEpoch,
        long[] dropoutRngState,
        Double bestMetricValue,
        String bestCheckpoint,
        int evalsWithoutImprovement,
        long examplesSeen,
        long targetTokensSeen,
        String trainData,
        double lossSinceLog,
        long stepsSinceLog,
        String gradAccumulation,
        java.util.Map<String, Double> bestMetrics,
        Long lastEvaluatedStep) {
    /** {@link #gradAccumulation} of a step whose gradient and loss are the sum of its micro-batches' mean losses. */
    public static final String SUMMED_MICRO_BATCHES = "sum of micro-batch means";
}
