package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;

/** x · Wᵀ for a Linear weight W [out, in]: how the host decoder multiplies by its weights. */
@FunctionalInterface
interface Projection {
    Tensor apply(Tensor x, Tensor weight);

    /** The plain product on the weight as stored (training, the encoder, device models). */
    Projection PLAIN = (x, weight) -> Ops.matmul(x, weight, false, true);
}
