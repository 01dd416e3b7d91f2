package dev.resumo.train;

import dev.resumo.engine.optim.LrSchedule;

/** --schedule: the engine's schedules (lr(t) for the step after t completed steps). */
public final class Schedules {
    private Schedules() {}

    public static LrSchedule of(String name, double lr, long warmupSteps, long totalSteps) {
        return switch (name) {
            // HF get_constant_schedule_with_warmup (plain constant when warmup is 0).
            case "constant" -> warmupSteps == 0 ? LrSchedule.constant(lr)
                    : step -> step < warmupSteps ? lr * (step / (double) warmupSteps) : lr;
            case "linear" -> LrSchedule.linearWarmupDecay(lr, warmupSteps, totalSteps);
            case "cosine" -> LrSchedule.cosineWarmupDecay(lr, warmupSteps, totalSteps);
            case "inverse-sqrt" -> LrSchedule.inverseSqrt(lr, warmupSteps);
            default -> throw new ConfigException("--schedule must be one of " + TrainConfig.SCHEDULES + ", got '" + name + "'");
        };
    }
}
