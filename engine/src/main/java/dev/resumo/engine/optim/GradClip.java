package dev.resumo.engine.optim;

import dev.resumo.engine.Tensor;

/** Gradient clipping by global L2 norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales every gradient in place by min(1, maxNorm / (totalNorm + 1e-6)), where totalNorm is
     * the L2 norm of all gradients together; null entries are skipped. Returns the norm before
     * clipping (float32, as PyTorch returns it). A NaN or infinite norm leaves the gradients
     * untouched (PyTorch would spread the NaN); the caller decides to skip the step.
     */
    public static float clipByGlobalNorm(Iterable<Tensor> grads, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clip: max norm must be > 0, got " + maxNorm);
        double sumSq = 0;
        int tensors = 0;
        float only = 0;
        for (Tensor g : grads) {
            if (g == null) continue;
            int off = g.offset(), n = g.size();
            double ss = 0;
            if (g.isOnDevice()) {
                ss = g.backend().sumSquares(g.deviceBuffer(), off, n);
            } else {
                ss = GradNorms.sumSquares(g.data(), off, n);
            }
            // PyTorch takes each tensor's norm in float32, then the norm of the norms.
            // torch then takes the norm of the norms, squaring each in float32: a norm above
            // ~1.8e19 makes the total inf unless it is the only one (a one-element norm is |x|).
            float norm = (float) Math.sqrt(ss);
            float square = norm * norm;
            sumSq += square;
            tensors++;
            only = norm;
        }
        float total = tensors == 1 ? only : (float) Math.sqrt(sumSq);
        float coef = (float) maxNorm / (total + 1e-6f); // float32, as PyTorch computes it
        // Not for an infinite total: its coef 0 zeroed every gradient and turned an infinite
        // element into NaN (found by weights-tools/fuzz_optimizers.py), against this method's word.
        if (coef < 1.0f && Float.isFinite(total)) {
            for (Tensor g : grads) {
                if (g == null) continue;
                int off = g.offset(), n = g.size();
                if (g.isOnDevice()) { // in place on the device (leaf gradients are dense from offset 0)
                    if (off != 0) throw new IllegalArgumentException("clip: device gradient must start at offset 0");
                    g.backend().scale(g.deviceBuffer(), 0, coef, g.deviceBuffer(), n);
                    continue;
                }
                GradNorms.scale(g.data(), off, n, coef);
            }
        }
        return total;
    }
}
