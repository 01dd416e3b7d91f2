package dev.resumo.engine.optim;

/**
 * Settings of {@link Adafactor}, with the defaults and rules of
 * {@code transformers.optimization.Adafactor}.
 *
 * @param lr             external learning rate; {@code null} = relative step (then {@code relativeStep} must be true)
 * @param eps1           added to squared gradients (default 1e-30)
 * @param eps2           lower bound of the parameter scale RMS (default 1e-3)
 * @param clipThreshold  the update's RMS is clipped to this (default 1.0)
 * @param decayRate      second-moment decay exponent: beta2_t = 1 - t^decayRate (default -0.8)
 * @param beta1          first-moment decay; {@code null} = no first moment (default)
 * @param weightDecay    decoupled weight decay, scaled by the step's lr (default 0)
 * @param scaleParameter multiply the lr by max(eps2, RMS(param)) (default true)
 * @param relativeStep   lr = min(1e-2, 1/sqrt(t)) (or min(1e-6 t, 1/sqrt(t)) with warmupInit) (default true)
 * @param warmupInit     see relativeStep (default false)
 */
public record AdafactorConfig(Double lr, double eps1, double eps2, double clipThreshold, double decayRate,
                              Double beta1, double weightDecay, boolean scaleParameter, boolean relativeStep,
                              boolean warmupInit) {
    public AdafactorConfig {
        if (lr != null && relativeStep) {
            throw new IllegalArgumentException("adafactor: a fixed lr cannot be combined with relative step (set relativeStep=false)");
        }
        if (lr == null && !relativeStep) {
            throw new IllegalArgumentException("adafactor: without relative step a learning rate is required");
        }
        if (warmupInit && !relativeStep) {
            throw new IllegalArgumentException("adafactor: warmupInit requires relativeStep");
        }
        if (lr != null && !(lr > 0)) throw new IllegalArgumentException("adafactor: lr must be > 0, got " + lr);
        if (beta1 != null && !(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("adafactor: beta1 must be in [0, 1), got " + beta1);
        }
        if (!(clipThreshold > 0)) throw new IllegalArgumentException("adafactor: clipThreshold must be > 0, got " + clipThreshold);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("adafactor: weightDecay must be >= 0, got " + weightDecay);
    }

    /** HF defaults: relative step, parameter scaling, no first moment. */
    public static AdafactorConfig defaults() {
        return new AdafactorConfig(null, 1e-30, 1e-3, 1.0, -0.8, null, 0.0, true, true, false);
    }

    /** A fixed external lr (relative step and parameter scaling off), as used for fine-tuning T5. */
    public static AdafactorConfig fixedLr(double lr) {
        return new AdafactorConfig(lr, 1e-30, 1e-3, 1.0, -0.8, null, 0.0, false, false, false);
    }

    public AdafactorConfig withWarmupInit(boolean on) {
        return new AdafactorConfig(lr, eps1, eps2, clipThreshold, decayRate, beta1, weightDecay, scaleParameter, relativeStep, on);
    }

    public AdafactorConfig withBeta1(Double b1) {
        return new AdafactorConfig(lr, eps1, eps2, clipThreshold, decayRate, b1, weightDecay, scaleParameter, relativeStep, warmupInit);
    }

    public AdafactorConfig withWeightDecay(double wd) {
        return new AdafactorConfig(lr, eps1, eps2, clipThreshold, decayRate, beta1, wd, scaleParameter, relativeStep, warmupInit);
    }

    public AdafactorConfig withScaleParameter(boolean on) {
        return new AdafactorConfig(lr, eps1, eps2, clipThreshold, decayRate, beta1, weightDecay, on, relativeStep, warmupInit);
    }
}
