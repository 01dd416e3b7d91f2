package dev.resumo.bench.compare;

import dev.resumo.t5.T5Config;

/**
 * Floating-point operations of the T5 workloads by the model's own arithmetic (2 per multiply-add
 * of every matrix product, attention included; norms, softmax and the optimizer ignored), so the
 * same figure divides both sides' times.
 */
public final class WorkloadFlops {
    private WorkloadFlops() {}

    /** Forward + backward (twice the forward) of a batch: 3× the forward products. */
    public static double trainingStep(T5Config c, int batch, int source, int target) {
        double d = c.dModel(), inner = c.numHeads() * (double) c.dKv(), ff = ffMacs(c);
        double encoder = c.numLayers() * (double) source * (4 * d * inner + ff + 2.0 * source * inner);
        double decoder = c.numDecoderLayers() * ((double) target * (4 * d * inner + ff + 2.0 * target * inner
                + 2.0 * source * inner) + 2.0 * source * d * inner);
        double head = (double) target * d * c.vocabSize();
        return 3 * 2 * batch * (encoder + decoder + head);
    }

    /** Encoder once, then {@code newTokens} decoder steps for each of {@code rows} rows with a K/V cache. */
    public static double generation(T5Config c, int batch, int rows, int source, int newTokens) {
        double d = c.dModel(), inner = c.numHeads() * (double) c.dKv(), ff = ffMacs(c);
        double encoder = batch * c.numLayers() * (double) source * (4 * d * inner + ff + 2.0 * source * inner);
        double crossKv = batch * c.numDecoderLayers() * 2.0 * source * d * inner;
        double steps = 0;
        for (int t = 1; t <= newTokens; t++) {
            steps += c.numDecoderLayers() * (4 * d * inner + ff + 2.0 * t * inner + 2.0 * source * inner)
                    + d * c.vocabSize();
        }
        return 2 * (encoder + crossKv + rows * steps);
    }

    private static double ffMacs(T5Config c) {
        int mats = c.feedForward().gated() ? 3 : 2; // wi (or wi_0 and wi_1) and wo
        return mats * (double) c.dModel() * c.dFf();
    }
}
