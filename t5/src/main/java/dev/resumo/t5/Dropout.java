package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;
import java.util.Random;

/**
 * Dropout as T5 places it (embeddings, attention weights, each sublayer output, inside the
 * feed-forward, after the final norm). {@link #OFF} for evaluation and generation; in training a
 * seeded {@link Random} makes runs repeatable.
 */
public record Dropout(float rate, Random rng) {
    public static final Dropout OFF = new Dropout(0f, null);

    public Dropout {
        if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        if (rate > 0f && rng == null) throw new IllegalArgumentException("dropout rate " + rate + " needs a Random");
    }

    public Tensor apply(Tensor x) {
        return rate == 0f ? x : Ops.dropout(x, rate, rng);
    }
}
