package dev.resumo.engine.optim;

/**
 * Settings of {@link AdamW}, with the defaults of {@code torch.optim.AdamW}
 * (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01).
 */
public record AdamWConfig(double lr, double beta1, double beta2, double eps, double weightDecay) {
    public AdamWConfig {
        if (!(lr >= 0)) throw new IllegalArgumentException("adamw: lr must be >= 0, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("adamw: beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("adamw: beta2 must be in [0, 1), got " + beta2);
        if (!(eps >= 0)) throw new IllegalArgumentException("adamw: eps must be >= 0, got " + eps);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("adamw: weightDecay must be >= 0, got " + weightDecay);
    }

    public static AdamWConfig of(double lr, double weightDecay) {
        return new AdamWConfig(lr, 0.9, 0.999, 1e-8, weightDecay);
    }
}
