package dev.resumo.train;

/** The learning-rate schedules of --schedule. Steps are 1-based optimizer steps. */
public final class Schedules {
    private Schedules() {}

    public static LrSchedule of(String name, double lr, long warmupSteps, long totalSteps) {
        return switch (name) {
            case "constant" -> step -> warmupSteps > 0 && step < warmupSteps ? lr * step / warmupSteps : lr;
            // Linear warmup to lr, then linear decay to 0 at the last step (HF get_linear_schedule_with_warmup).
            case "linear" -> step -> {
                if (step < warmupSteps) return lr * step / Math.max(1, warmupSteps);
                return lr * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
            };
            // Constant during warmup, then lr * sqrt(warmup / step) (the T5 paper's 1/sqrt(max(n, k))).
            case "inverse-sqrt" -> step -> {
                long w = Math.max(1, warmupSteps);
                return lr * Math.sqrt((double) w / Math.max(step, w));
            };
            default -> throw new ConfigException("--schedule must be one of " + TrainConfig.SCHEDULES + ", got '" + name + "'");
        };
    }
}
