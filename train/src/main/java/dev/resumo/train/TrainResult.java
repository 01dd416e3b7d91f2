package dev.resumo.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a run ended: status FINISHED, EARLY_STOPPED or INTERRUPTED; optimizer steps done; the kept
 * (best) checkpoint and its metrics; first and last eval loss; wall time and throughput; the
 * wall time of each phase (setup, steps, evaluation, checkpoints, ...).
 */
public record TrainResult(
        String status,
        long steps,
        Path lastCheckpoint,
        String bestCheckpoint,
        Map<String, Double> bestMetrics,
        double firstEvalLoss,
        double lastEvalLoss,
        double seconds,
        double examplesPerSecond,
        double tokensPerSecond,
        Map<PhaseTimes.Phase, Double> phaseSeconds) {}
