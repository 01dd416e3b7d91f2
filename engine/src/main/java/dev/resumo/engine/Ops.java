package dev.resumo.engine;

import java.util.Random;

/**
 * Every differentiable operation the T5 model needs. Each records itself on the autograd tape
 * when any input requires a gradient and grad mode is on (see {@link Autograd#noGrad()}), and
 * has a backward that accumulates into the inputs' {@link Tensor#grad()}.
 *
 * <p>CONTRACT (signatures are fixed: the model code is written against them); bodies are filled
 * in by the engine work. Shapes are row-major; "batch dims" are leading dims that broadcast.
 */
public final class Ops {
    private Ops() {}

    // ---- elementwise with NumPy-style broadcasting (result shape = broadcast of both) ----
    public static Tensor add(Tensor a, Tensor b) { throw todo(); }
    public static Tensor sub(Tensor a, Tensor b) { throw todo(); }
    public static Tensor mul(Tensor a, Tensor b) { throw todo(); }
    public static Tensor div(Tensor a, Tensor b) { throw todo(); }
    /** a * s for a constant s. */
    public static Tensor scale(Tensor a, float s) { throw todo(); }

    // ---- matrix products ----
    /**
     * Batched matmul over the last two dims: op(a) [.., M, K] · op(b) [.., K, N] → [.., M, N],
     * where op transposes the last two dims when the flag is set. Leading dims broadcast
     * (e.g. a [B, H, M, K] with b [K, N] for a weight).
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) { throw todo(); }
    public static Tensor matmul(Tensor a, Tensor b) { return matmul(a, b, false, false); }

    // ---- reductions ----
    public static Tensor sum(Tensor a) { throw todo(); }
    public static Tensor sum(Tensor a, int axis, boolean keepDim) { throw todo(); }
    public static Tensor mean(Tensor a) { throw todo(); }
    public static Tensor mean(Tensor a, int axis, boolean keepDim) { throw todo(); }

    // ---- activations and normalisation ----
    public static Tensor relu(Tensor a) { throw todo(); }
    /** GELU, tanh approximation (HF "gelu_new"). */
    public static Tensor gelu(Tensor a) { throw todo(); }
    /**
     * Softmax over the last axis of (x + mask); mask may be null or any shape that broadcasts to
     * x (e.g. [B, 1, 1, S] padding mask, [1, H, Q, K] position bias). -inf / large negative
     * entries get zero probability. The mask also receives a gradient when it requires one (T5
     * learns its relative position bias through it).
     */
    public static Tensor softmax(Tensor x, Tensor mask) { throw todo(); }
    /** T5 RMS norm over the last axis: x * rsqrt(mean(x²) + eps) * weight; no mean, no bias. */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) { throw todo(); }
    /** Inverted dropout (scale kept values by 1/(1-p)); identity when p == 0. */
    public static Tensor dropout(Tensor x, float p, Random rng) { throw todo(); }

    // ---- indexing ----
    /** Rows of weight [V, D] for ids with the given shape → [...shape, D]; backward scatter-adds. */
    public static Tensor embedding(Tensor weight, int[] ids, int... idsShape) { throw todo(); }
    /**
     * Mean token cross-entropy of logits [N, V] (or [.., V], flattened) against labels (length N);
     * labels equal to ignoreIndex (-100) are skipped; the mean is over counted tokens. Scalar.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, int ignoreIndex) { throw todo(); }
    /** Concatenation along an axis (KV caches). */
    public static Tensor concat(int axis, Tensor... parts) { throw todo(); }
    /** A copy of [start, end) along an axis (differentiable). */
    public static Tensor slice(Tensor a, int axis, int start, int end) { throw todo(); }

    // ---- layout ----
    public static Tensor reshape(Tensor a, int... shape) { throw todo(); }
    /** Swaps two axes (for attention: [B, S, H, D] ↔ [B, H, S, D]). */
    public static Tensor transpose(Tensor a, int axis0, int axis1) { throw todo(); }

    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("not implemented yet");
    }
}
