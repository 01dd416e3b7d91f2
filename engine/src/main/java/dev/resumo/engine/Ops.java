package dev.resumo.engine;

import dev.resumo.engine.cpu.PanelWeight;
import java.util.Random;

/**
 * Every differentiable operation the T5 model needs. Each records itself on the autograd tape
 * when any input requires a gradient and grad mode is on (see {@link Autograd#noGrad()}), and
 * has a backward that accumulates into the inputs' {@link Tensor#grad()}.
 *
 * <p>CONTRACT (signatures are fixed: the model code is written against them); bodies are filled
 * in by the engine work. Shapes are row-major; "batch dims" are leading dims that broadcast.
 *
 * <p>Inputs may be any views (transposed, sliced, broadcast); results are fresh contiguous
 * tensors except {@link #reshape} (a view of contiguous input) and {@link #transpose} (always a
 * view). Shape mistakes throw IllegalArgumentException naming the op and the shapes.
 *
 * <p>Choices where PyTorch differs or is silent: {@link #softmax} turns a row that is entirely
 * -inf into zeros (PyTorch: NaN; T5 masks with finfo.min, which behaves exactly as in PyTorch);
 * {@link #crossEntropy} with no counted label gives loss 0 and zero gradient (PyTorch: NaN);
 * {@link #dropout} takes one {@code rng.nextLong()} per call and decides each element from a
 * hash of that seed and the element's index (reproducible for any thread count; see
 * {@code cpu.DropoutMasks}).
 */
public final class Ops {
    private Ops() {}

    // ---- elementwise with NumPy-style broadcasting (result shape = broadcast of both) ----
    public static Tensor add(Tensor a, Tensor b) { return ElementwiseOps.add(a, b); }
    public static Tensor sub(Tensor a, Tensor b) { return ElementwiseOps.sub(a, b); }
    public static Tensor mul(Tensor a, Tensor b) { return ElementwiseOps.mul(a, b); }
    public static Tensor div(Tensor a, Tensor b) { return ElementwiseOps.div(a, b); }
    /** a * s for a constant s. */
    public static Tensor scale(Tensor a, float s) { return ElementwiseOps.scale(a, s); }

    // ---- matrix products ----
    /**
     * Batched matmul over the last two dims: op(a) [.., M, K] · op(b) [.., K, N] → [.., M, N],
     * where op transposes the last two dims when the flag is set. Leading dims broadcast
     * (e.g. a [B, H, M, K] with b [K, N] for a weight).
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        return MatmulOp.matmul(a, b, transA, transB);
    }
    public static Tensor matmul(Tensor a, Tensor b) { return matmul(a, b, false, false); }
    /**
     * x [.., K] · Wᵀ → [.., N] with W packed for few-row products (decoding); host tensors, no
     * gradient (x must not need one). Same values as {@code matmul(x, w, false, true)} up to
     * float rounding (another summation order).
     */
    public static Tensor matmul(Tensor x, PanelWeight w) { return MatmulOp.matmulPanels(x, w); }

    // ---- reductions ----
    public static Tensor sum(Tensor a) { return ReductionOps.sum(a); }
    public static Tensor sum(Tensor a, int axis, boolean keepDim) { return ReductionOps.sum(a, axis, keepDim); }
    public static Tensor mean(Tensor a) { return ReductionOps.mean(a); }
    public static Tensor mean(Tensor a, int axis, boolean keepDim) { return ReductionOps.mean(a, axis, keepDim); }

    // ---- activations and normalisation ----
    public static Tensor relu(Tensor a) { return ActivationOps.relu(a); }
    /** GELU, tanh approximation (HF "gelu_new"). */
    public static Tensor gelu(Tensor a) { return ActivationOps.gelu(a); }
    /** GELU, exact: x·Φ(x) = 0.5x(1 + erf(x/√2)) (HF "gelu"). */
    public static Tensor geluErf(Tensor a) { return ActivationOps.geluErf(a); }
    /** SiLU / swish: x·σ(x) (HF "silu", "swish"). */
    public static Tensor silu(Tensor a) { return ActivationOps.silu(a); }
    /**
     * Softmax over the last axis of (x + mask); mask may be null or any shape that broadcasts to
     * x (e.g. [B, 1, 1, S] padding mask, [1, H, Q, K] position bias). -inf / large negative
     * entries get zero probability. The mask also receives a gradient when it requires one (T5
     * learns its relative position bias through it).
     */
    public static Tensor softmax(Tensor x, Tensor mask) { return ActivationOps.softmax(x, mask); }
    /** T5 RMS norm over the last axis: x * rsqrt(mean(x²) + eps) * weight; no mean, no bias. */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) { return ActivationOps.rmsNorm(x, weight, eps); }
    /**
     * {@code sum = add(x, delta)} and {@code rmsNorm(sum, weight, eps)} (a residual add and the next
     * T5 layer norm), same shapes. On a device with no gradient recorded: one fused kernel (the
     * same bits: the add's float add, the norm kernel's arithmetic); otherwise exactly the two
     * ops, recorded as they are.
     */
    public static ResidualNorm addRmsNorm(Tensor x, Tensor delta, Tensor weight, float eps) {
        return FusedOps.addRmsNorm(x, delta, weight, eps);
    }
    /**
     * {@code relu(matmul(x, weight, false, true))} for a Linear weight [out, in]. On a device with
     * no gradient recorded: one GEMM whose epilogue applies the ReLU (the same bits); otherwise
     * exactly the two ops, recorded as they are.
     */
    public static Tensor linearRelu(Tensor x, Tensor weight) { return FusedOps.linearRelu(x, weight); }
    /**
     * {@code matmul(rmsNorm(x, norm, eps)·outScale, weight, false, true)}: a Linear [out, in] after
     * a pre-norm, outScale 1 for none (the tied lm_head's d_model^-0.5 after the final norm). On a
     * device with no gradient recorded: the norm computed inside the product's launch for few rows
     * (a decode step; the same bits as the norm then the product); otherwise exactly those ops.
     */
    public static Tensor rmsNormLinear(Tensor x, Tensor norm, float eps, float outScale, Tensor weight) {
        return FusedOps.rmsNormLinear(x, norm, eps, outScale, weight, false);
    }
    /** {@code relu(rmsNormLinear(x, norm, eps, 1, weight))}: on a device also the ReLU in the product's launch. */
    public static Tensor rmsNormLinearRelu(Tensor x, Tensor norm, float eps, Tensor weight) {
        return FusedOps.rmsNormLinear(x, norm, eps, 1f, weight, true);
    }
    /**
     * {@code add(residual, matmul(x, weight, false, true))}: a sublayer's output projection added to
     * the residual stream. On a device with no gradient recorded: one GEMM whose epilogue adds
     * (the same bits); otherwise exactly the two ops, recorded as they are.
     */
    public static Tensor addLinear(Tensor residual, Tensor x, Tensor weight) { return FusedOps.addLinear(residual, x, weight); }
    /**
     * {@link #attention} of a self-attention whose q, k and v come from one projection qkv
     * [B, S, 3·heads·d] (q | k | v, heads merged in each). On a device with no gradient recorded
     * the three are split into heads by one copy, not three; otherwise exactly attention over the
     * three slices, recorded as they are.
     */
    public static Tensor attentionQkv(Tensor qkv, Tensor bias, int heads, float p, Random rng) {
        return FusedOps.attentionQkv(qkv, bias, heads, p, rng);
    }
    /**
     * False under -Dresumo.fuse=false, which runs every fused op as the ops it stands for: callers
     * that choose between a fused and an unfused formulation (stacked q|k|v weights or three
     * projections) take the unfused one then, so the switch measures the fusions' whole effect.
     */
    public static boolean fusionEnabled() { return FusedOps.FUSE; }
    /**
     * Multi-head attention, fused: dropout(softmax(q·kᵀ + bias), p)·v per head. q [B, Q, heads·d],
     * k and v [B, K, heads·d] (the projections' layout), bias broadcastable to [B, heads, Q, K] or
     * null; no 1/sqrt(d) scaling (T5 folds it into q). Returns the context [B, Q, heads·d]. Dropout
     * masks as {@link #dropout} does on the [B, heads, Q, K] probabilities; p = 0 draws nothing.
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor bias, int heads, float p, Random rng) {
        return AttentionOp.attention(q, k, v, bias, heads, p, rng);
    }
    /**
     * Attention of one new query per row over cached keys and values (incremental decoding),
     * fused into one backend call: softmax(q·kᵀ + headBias + mask)·v per head over positions
     * 0..length-1, no 1/sqrt(d) scaling (T5). query [rows, 1, heads·d]; keys and values [rows, ≥length,
     * heads·d] with the same strides and a contiguous last axis (views into a cache are read in
     * place); headBias [1, heads, 1, ≥length] (any strides) or null; mask [rows, 1, 1, ≥length]
     * additive, or null. Returns the context [rows, 1, heads·d]. Inference only: under
     * {@link Autograd#noGrad()} when an input requires a gradient.
     */
    public static Tensor decodeAttention(Tensor query, Tensor keys, Tensor values, int length, Tensor headBias, Tensor mask,
                                         int heads) {
        return DecodeAttentionOp.attend(query, keys, values, length, headBias, mask, heads);
    }
    /**
     * Gradient checkpointing: {@code fn} runs without recording (only inputs and outputs are
     * kept) and again, recording, when the reverse pass reaches its outputs ({@link Checkpoint}).
     * Same values and gradients as calling {@code fn} directly, when it computes the same both
     * times (replayed randomness); under {@link Autograd#noGrad()} it is just {@code fn}.
     */
    public static Tensor[] checkpoint(Checkpoint.Function fn, Tensor... inputs) { return Checkpoint.run(fn, inputs); }
    /** Inverted dropout (scale kept values by 1/(1-p)); identity when p == 0. */
    public static Tensor dropout(Tensor x, float p, Random rng) { return ActivationOps.dropout(x, p, rng); }

    // ---- indexing ----
    /** Rows of weight [V, D] for ids with the given shape → [...shape, D]; backward scatter-adds. */
    public static Tensor embedding(Tensor weight, int[] ids, int... idsShape) {
        return IndexingOps.embedding(weight, ids, idsShape);
    }
    /**
     * [D, rows, cols] with out[j, r, c] = weight[idsByDiagonal[c − r + rows − 1], j] (weight [V, D]):
     * rows of a table looked up by diagonal, feature-major (T5's relative position bias); the
     * backward scatter-adds into the table.
     */
    public static Tensor toeplitzGather(Tensor weight, int[] idsByDiagonal, int rows, int cols) {
        return IndexingOps.toeplitzGather(weight, idsByDiagonal, rows, cols);
    }
    /**
     * Mean token cross-entropy of logits [N, V] (or [.., V], flattened) against labels (length N);
     * labels equal to ignoreIndex (-100) are skipped; the mean is over counted tokens. Scalar.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, int ignoreIndex) {
        return IndexingOps.crossEntropy(logits, labels, ignoreIndex, 0f);
    }
    /**
     * As above with label smoothing ε in [0, 1] (PyTorch's {@code cross_entropy(label_smoothing=ε)}):
     * each counted token's loss is (1 − ε)·(−log p[label]) + ε·mean_v(−log p[v]).
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, int ignoreIndex, float smoothing) {
        return IndexingOps.crossEntropy(logits, labels, ignoreIndex, smoothing);
    }
    /**
     * As above for a training loss whose logits nothing else reads: the reverse pass writes their
     * gradient over them instead of into a new array of their size (on the host; same bits). The
     * logits must not be read after the backward, and this must be their only consumer.
     */
    public static Tensor crossEntropyConsumingLogits(Tensor logits, int[] labels, int ignoreIndex, float smoothing) {
        return IndexingOps.crossEntropy(logits, labels, ignoreIndex, smoothing, true);
    }
    /** Concatenation along an axis (KV caches). */
    public static Tensor concat(int axis, Tensor... parts) { return IndexingOps.concat(axis, parts); }
    /** A copy of [start, end) along an axis (differentiable). */
    public static Tensor slice(Tensor a, int axis, int start, int end) { return IndexingOps.slice(a, axis, start, end); }

    // ---- layout ----
    public static Tensor reshape(Tensor a, int... shape) { return LayoutOps.reshape(a, shape); }
    /** Swaps two axes (for attention: [B, S, H, D] ↔ [B, H, S, D]). */
    public static Tensor transpose(Tensor a, int axis0, int axis1) { return LayoutOps.transpose(a, axis0, axis1); }
}
