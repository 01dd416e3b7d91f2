package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;

/**
 * The feed-forward sublayer with its pre-norm and residual: x + dropout(FF(norm(x))), where FF is
 * wo·dropout(relu(wi·h)) or wo·dropout(gelu_new(wi_0·h) * wi_1·h).
 */
final class T5LayerFF {
    private final Tensor norm;
    private final Tensor wi;   // ReLU variant
    private final Tensor wi0;  // gated variant: through the GELU
    private final Tensor wi1;  // gated variant: linear gate
    private final Tensor wo;
    private final float eps;

    private T5LayerFF(Tensor norm, Tensor wi, Tensor wi0, Tensor wi1, Tensor wo, float eps) {
        this.norm = norm;
        this.wi = wi;
        this.wi0 = wi0;
        this.wi1 = wi1;
        this.wo = wo;
        this.eps = eps;
    }

    static T5LayerFF relu(Tensor norm, Tensor wi, Tensor wo, float eps) {
        return new T5LayerFF(norm, wi, null, null, wo, eps);
    }

    static T5LayerFF gatedGelu(Tensor norm, Tensor wi0, Tensor wi1, Tensor wo, float eps) {
        return new T5LayerFF(norm, null, wi0, wi1, wo, eps);
    }

    Tensor forward(Tensor x, Dropout dropout) {
        return forward(x, dropout, Projection.PLAIN);
    }

    Tensor forward(Tensor x, Dropout dropout, Projection projection) {
        Tensor h = Ops.rmsNorm(x, norm, eps);
        Tensor hidden;
        if (wi != null) {
            hidden = Ops.relu(projection.apply(h, wi));
        } else {
            hidden = Ops.mul(Ops.gelu(projection.apply(h, wi0)), projection.apply(h, wi1));
        }
        Tensor out = projection.apply(dropout.apply(hidden), wo);
        return Ops.add(x, dropout.apply(out));
    }

    /**
     * wo in the ReLU variant: its input is a ReLU's output, zero wherever the pre-activation was
     * negative (about half of it with random weights, most of it in trained T5s), so a one-row
     * decode can skip those rows of the weight. The gated GELU's product is rarely exactly zero.
     */
    void sparseInputWeights(java.util.List<Tensor> out) {
        if (wi != null) out.add(wo);
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
