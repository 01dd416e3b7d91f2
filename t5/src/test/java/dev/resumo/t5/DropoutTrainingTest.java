package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Dropout in a training forward pass: seeded (repeatable), active, differentiable, off at eval. */
class DropoutTrainingTest {
    private static final Seq2SeqBatch BATCH = new Seq2SeqBatch(2, 4, new int[] {5, 6, 7, 1, 8, 1, 0, 0},
            new int[] {1, 1, 1, 1, 1, 1, 0, 0}, 3, new int[] {9, 10, 1, 11, 1, -100});

    @Test
    void seededDropoutIsRepeatableAndChangesTheLoss() {
        T5Model model = TinyModels.gatedUntied(21);
        float eval = model.forward(BATCH, Dropout.OFF).loss().item();
        float a = model.forward(BATCH, new Dropout(0.3f, new Random(5))).loss().item();
        float b = model.forward(BATCH, new Dropout(0.3f, new Random(5))).loss().item();
        float c = model.forward(BATCH, new Dropout(0.3f, new Random(6))).loss().item();
        assertEquals(a, b, "same seed, same masks");
        assertNotEquals(eval, a, "dropout is active in training");
        assertNotEquals(a, c, "another seed, other masks");
        assertEquals(eval, model.forward(BATCH, Dropout.OFF).loss().item(), "evaluation is deterministic");
    }

    @Test
    void gradientsFlowThroughDropoutToEveryParameter() {
        T5Model model = TinyModels.relu(22);
        for (Tensor p : model.parameters().values()) p.requiresGrad(true);
        T5Model.Output out = model.forward(BATCH, new Dropout(0.1f, new Random(1)));
        out.loss().backward();
        for (var e : model.parameters().entrySet()) {
            Tensor g = e.getValue().grad();
            assertNotNull(g, e.getKey() + " has no gradient");
            double norm = 0;
            for (float v : g.toArray()) norm += v * v;
            assertTrue(norm > 0, e.getKey() + " gradient is zero");
        }
    }
}
