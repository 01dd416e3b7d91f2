package dev.resumo.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resumo.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A step changes parameters in place and must say so ({@link Tensor#markModified()}): copies
 * derived from the values (the decoder's packed weights) are rebuilt only when the version moves.
 */
class OptimizerMarksModifiedTest {
    @Test
    void aStepMovesTheVersionOfEveryUpdatedParameterOnly() {
        Tensor updated = Tensor.full(0.5f, 4, 3), skipped = Tensor.full(0.5f, 3);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("updated", updated);
        params.put("skipped", skipped);
        Tensor grad = Tensor.full(0.1f, 4, 3);
        for (Optimizer opt : new Optimizer[] {new Adafactor(params, AdafactorConfig.defaults()),
                new AdamW(params, AdamWConfig.of(1e-3, 0.01))}) {
            long u = updated.version(), s = skipped.version();
            opt.step(p -> p == updated ? grad : null);
            assertEquals(u + 1, updated.version(), opt.getClass().getSimpleName() + ": updated parameter");
            assertEquals(s, skipped.version(), opt.getClass().getSimpleName() + ": parameter without a gradient");
        }
    }
}
