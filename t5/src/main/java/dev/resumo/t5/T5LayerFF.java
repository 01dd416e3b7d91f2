package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;

/**
 * The feed-forward sublayer with its pre-norm and residual: x + dropout(FF(norm(x))), where FF is
 * wo·dropout(act(wi·h)) or, gated, wo·dropout(act(wi_0·h) * wi_1·h); act is the config's
 * activation (ReLU, exact or tanh GELU, SiLU).
 */
final class T5LayerFF {
    private final Tensor norm;
    private final T5Config.Activation activation;
    private final Tensor wi;   // plain variant
    private final Tensor wi0;  // gated variant: through the activation
    private final Tensor wi1;  // gated variant: linear gate
    private final Tensor wo;
    private final float eps;

    private T5LayerFF(Tensor norm, T5Config.Activation activation, Tensor wi, Tensor wi0, Tensor wi1, Tensor wo, float eps) {
        this.norm = norm;
        this.activation = activation;
        this.wi = wi;
        this.wi0 = wi0;
        this.wi1 = wi1;
        this.wo = wo;
        this.eps = eps;
    }

    static T5LayerFF plain(Tensor norm, T5Config.Activation activation, Tensor wi, Tensor wo, float eps) {
        return new T5LayerFF(norm, activation, wi, null, null, wo, eps);
    }

    static T5LayerFF gated(Tensor norm, T5Config.Activation activation, Tensor wi0, Tensor wi1, Tensor wo, float eps) {
        return new T5LayerFF(norm, activation, null, wi0, wi1, wo, eps);
    }

    Tensor forward(Tensor x, Dropout dropout) {
        return forward(x, dropout, Projection.PLAIN);
    }

    Tensor forward(Tensor x, Dropout dropout, Projection projection) {
        return Ops.add(x, delta(Ops.rmsNorm(x, norm, eps), dropout, projection));
    }

    /** The sublayer's output for the normed stream {@code h}, before the residual add. */
    Tensor delta(Tensor h, Dropout dropout, Projection projection) {
        Tensor hidden;
        if (wi != null && activation == T5Config.Activation.RELU && projection == Projection.PLAIN) {
            hidden = Ops.linearRelu(h, wi); // one launch on a device (the ReLU in the GEMM's epilogue)
        } else if (wi != null) {
            hidden = activate(projection.apply(h, wi));
        } else {
            hidden = Ops.mul(activate(projection.apply(h, wi0)), projection.apply(h, wi1));
        }
        Tensor out = projection.apply(dropout.apply(hidden), wo);
        return dropout.apply(out);
    }

    /**
     * The sublayer on a device decode step's stream x: x + FF(norm(x)), the norm inside wi's product
     * ({@link Ops#rmsNormLinearRelu}, ReLU variant) and the residual add in wo's
     * ({@link Ops#addLinear}); other activations and the gated variant norm with an op of their own.
     */
    Tensor stepOnDevice(Tensor x) {
        Tensor hidden;
        if (wi != null && activation == T5Config.Activation.RELU) {
            hidden = Ops.rmsNormLinearRelu(x, norm, eps, wi);
        } else {
            Tensor h = Ops.rmsNorm(x, norm, eps);
            hidden = wi != null ? activate(Ops.matmul(h, wi, false, true))
                    : Ops.mul(activate(Ops.matmul(h, wi0, false, true)), Ops.matmul(h, wi1, false, true));
        }
        return Ops.addLinear(x, hidden, wo);
    }

    /** The scale of the RMS norm in front of this sublayer. */
    Tensor norm() {
        return norm;
    }

    private Tensor activate(Tensor x) {
        return switch (activation) {
            case RELU -> Ops.relu(x);
            case GELU -> Ops.geluErf(x);
            case GELU_TANH -> Ops.gelu(x);
            case SILU -> Ops.silu(x);
        };
    }

    /**
     * wo in the plain ReLU variant: its input is a ReLU's output, zero wherever the pre-activation
     * was negative (about half of it with random weights, most of it in trained T5s), so a one-row
     * decode can skip those rows of the weight. GELU, SiLU and gated products are rarely exactly zero.
     */
    void sparseInputWeights(java.util.List<Tensor> out) {
        if (wi != null && activation == T5Config.Activation.RELU) out.add(wo);
    }

    /** Its weight matrices (the norm's scale excluded). */
    void weights(java.util.List<Tensor> out) {
        if (wi != null) {
            out.add(wi);
        } else {
            out.add(wi0);
            out.add(wi1);
        }
        out.add(wo);
    }
}
