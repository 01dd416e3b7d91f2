package dev.resumo.engine.optim;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adafactor's weight decay against transformers' on torch, bit for bit: with zero gradients the
 * update is exactly zero, so each step is the decay p + (-weight_decay·lr)·p alone
 * ({@link WeightDecayReference}). Tolerance: none — one fused multiply-add per element with the
 * same float32 factor gives the same bits. The factor is rounded once from double when torch's lr
 * is a Python float and is a float32 product when the lr is a float32 tensor; each parameter's
 * first values were picked (by torch) where the two give different results, so a factor rounded
 * the other way fails (it did, before: lr 1e-3 with weight decay 0.01 was one ulp off).
 */
class AdafactorWeightDecayTest {

    @Test
    void decayMatchesTransformersBitForBit() throws IOException {
        List<WeightDecayReference.Case> cases = WeightDecayReference.cases();
        int checked = 0;
        for (WeightDecayReference.Case c : cases) {
            checked += WeightDecayReference.check(c, t -> t, ps -> new Adafactor(ps, c.config())::step);
        }
        assertTrue(cases.size() >= 5, "cases read: " + cases.size());
        System.out.printf("AdafactorWeightDecayTest: %d cases, %d elements bit-identical to transformers%n", cases.size(), checked);
    }
}
