package dev.resumo.engine.optim;

/**
 * Learning rate as a function of the optimizer step (0-based: the lr used by the step that follows
 * {@code step} completed steps, like PyTorch's LambdaLR after {@code step} calls of
 * {@code scheduler.step()}).
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step);

    /** lr(t) = peak. */
    static LrSchedule constant(double peak) {
        requirePositive(peak, "lr");
        return step -> peak;
    }

    /**
     * HF {@code get_linear_schedule_with_warmup}:
     * lr(t) = peak · t / max(1, warmup) for t &lt; warmup, else peak · max(0, (total - t) / max(1, total - warmup)).
     */
    static LrSchedule linearWarmupDecay(double peak, long warmupSteps, long totalSteps) {
        requirePositive(peak, "lr");
        if (warmupSteps < 0 || totalSteps < 0) {
            throw new IllegalArgumentException("linear schedule: warmup (" + warmupSteps + ") and total (" + totalSteps + ") steps must be >= 0");
        }
        return step -> {
            if (step < warmupSteps) return peak * (step / (double) Math.max(1, warmupSteps));
            return peak * Math.max(0.0, (totalSteps - step) / (double) Math.max(1, totalSteps - warmupSteps));
        };
    }

    /**
     * HF {@code get_cosine_schedule_with_warmup} (one half cosine, num_cycles 0.5): lr(t) = peak · t /
     * max(1, warmup) for t &lt; warmup, else peak · max(0, ½(1 + cos(π · progress))) with progress =
     * (t − warmup) / max(1, total − warmup) — from peak after the warmup down to 0 at the last step.
     */
    static LrSchedule cosineWarmupDecay(double peak, long warmupSteps, long totalSteps) {
        requirePositive(peak, "lr");
        if (warmupSteps < 0 || totalSteps < 0) {
            throw new IllegalArgumentException("cosine schedule: warmup (" + warmupSteps + ") and total (" + totalSteps + ") steps must be >= 0");
        }
        return step -> {
            if (step < warmupSteps) return peak * (step / (double) Math.max(1, warmupSteps));
            double progress = (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps);
            // transformers' expression term by term (π · num_cycles · 2 · progress, then base lr × factor as
            // LambdaLR does): the same double operations, but Math.cos may differ from C's cos in the last bit.
            return peak * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * 0.5 * 2.0 * progress)));
        };
    }

    /**
     * HF {@code get_inverse_sqrt_schedule}: linear warmup to peak over {@code warmup} steps, then
     * lr(t) = peak / sqrt((t + timescale - warmup) / timescale), timescale defaulting to warmup
     * (or 10,000 when warmup is 0) — so lr(warmup) = peak.
     */
    static LrSchedule inverseSqrt(double peak, long warmupSteps) {
        return inverseSqrt(peak, warmupSteps, warmupSteps > 0 ? warmupSteps : 10_000);
    }

    static LrSchedule inverseSqrt(double peak, long warmupSteps, long timescale) {
        requirePositive(peak, "lr");
        if (warmupSteps < 0 || timescale <= 0) {
            throw new IllegalArgumentException("inverse sqrt schedule: warmup must be >= 0 and timescale > 0, got " + warmupSteps + ", " + timescale);
        }
        long shift = timescale - warmupSteps;
        return step -> {
            if (step < warmupSteps) return peak * (step / (double) Math.max(1, warmupSteps));
            return peak / Math.sqrt((step + shift) / (double) timescale);
        };
    }

    /**
     * The T5 paper's pre-training schedule: lr(t) = 1 / sqrt(max(t, warmup)) (0.01 for the first
     * 10^4 steps with warmup 10,000).
     */
    static LrSchedule t5Rsqrt(long warmupSteps) {
        if (warmupSteps <= 0) throw new IllegalArgumentException("t5 rsqrt schedule: warmup must be > 0, got " + warmupSteps);
        return step -> 1.0 / Math.sqrt(Math.max(step, warmupSteps));
    }

    private static void requirePositive(double v, String what) {
        if (!(v > 0)) throw new IllegalArgumentException("schedule: " + what + " must be > 0, got " + v);
    }
}
