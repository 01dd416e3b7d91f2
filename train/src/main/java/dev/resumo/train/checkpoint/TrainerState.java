package dev.resumo.train.checkpoint;

/**
 * Everything besides weights and optimizer state that a resumed run needs to continue exactly:
 * optimizer steps done, the data position (epoch, next batch index in that epoch's plan), the
 * dropout generator's state, and the early-stopping bookkeeping; and what it was trained on
 * ({@link DataFingerprint}; null in checkpoints written before it was recorded).
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
        String trainData) {}
