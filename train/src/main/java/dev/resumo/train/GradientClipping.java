package dev.resumo.train;

import java.util.List;

/** Clip-by-global-norm over all gradients (torch.nn.utils.clip_grad_norm_). */
public final class GradientClipping {
    private GradientClipping() {}

    /** Scales every gradient so their joint L2 norm is at most maxNorm (0 = no clipping); returns the norm before. */
    public static double clip(List<Parameter> parameters, double maxNorm) {
        double sumSq = 0;
        for (Parameter p : parameters) {
            float[] g = p.grad();
            for (float v : g) sumSq += (double) v * v;
        }
        double norm = Math.sqrt(sumSq);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Parameter p : parameters) {
                float[] g = p.grad();
                for (int i = 0; i < g.length; i++) g[i] *= scale;
            }
        }
        return norm;
    }
}
