package dev.resumo.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Parameters named in noWeightDecay are left alone by weight decay (torch's weight_decay-0 group);
 * the others decay as before. With zero gradients neither optimizer moves a parameter except by
 * decay (AdamW: 0 / (0 + eps); Adafactor: 0 · rsqrt(eps1)), so the decay is seen alone.
 */
class WeightDecayExclusionTest {
    private static final double LR = 0.1, WD = 0.5;

    @Test
    void adamwSkipsExcludedParameters() {
        check("adamw", (ps, skip) -> new AdamW(ps, AdamWConfig.of(LR, WD), skip));
    }

    @Test
    void adafactorSkipsExcludedParameters() {
        check("adafactor", (ps, skip) -> new Adafactor(ps, AdafactorConfig.fixedLr(LR).withWeightDecay(WD), skip));
    }

    private static void check(String what, BiFunction<Map<String, Tensor>, Set<String>, Optimizer> make) {
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("dense.weight", Tensor.of(new float[] {1f, -2f, 3f, 4f, 0.5f, -1f}, 2, 3));
        ps.put("layer_norm.weight", Tensor.of(new float[] {1f, 1f, 1f}, 3));
        float[] dense = ps.get("dense.weight").toArray(), norm = ps.get("layer_norm.weight").toArray();
        Optimizer opt = make.apply(ps, Set.of("layer_norm.weight"));
        assertEquals(Set.of("layer_norm.weight"), opt.noWeightDecay());
        assertTrue(opt.decays(0) && !opt.decays(1));
        for (int step = 0; step < 3; step++) {
            for (Tensor p : ps.values()) p.setGrad(Tensor.zeros(p.shape()));
            opt.step();
        }
        assertArrayEquals(norm, ps.get("layer_norm.weight").toArray(), what + ": an excluded parameter must not decay");
        float[] after = ps.get("dense.weight").toArray();
        for (int i = 0; i < dense.length; i++) {
            // Three decays by (1 - lr·wd) = 0.95: 0.857375 of the value (float32 products).
            assertEquals(dense[i] * 0.857375, after[i], 1e-6 * Math.abs(dense[i]), what + " decayed element " + i);
        }
    }

    @Test
    void excludingANameThatIsNoParameterIsRefused() {
        Map<String, Tensor> ps = Map.of("w", Tensor.zeros(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdamW(ps, AdamWConfig.of(LR, WD), Set.of("bias")));
        assertTrue(e.getMessage().contains("'bias'"), e.getMessage());
        assertEquals(List.of(), List.copyOf(new AdamW(ps, AdamWConfig.of(LR, WD)).noWeightDecay()), "default: decay every parameter");
    }
}
