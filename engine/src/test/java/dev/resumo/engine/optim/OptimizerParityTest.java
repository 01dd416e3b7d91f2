package dev.resumo.engine.optim;

import dev.resumo.engine.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parity with transformers' Adafactor and torch's AdamW on 1-D, 2-D and 3-D tensors over 5 steps
 * (reference values: weights-tools/make_optim_reference.py, torch 2.15 / transformers 5.24, CPU fp32).
 */
class OptimizerParityTest {
    /**
     * Tolerance: relative L2 error of each parameter ≤ 1e-6 after every step. Both sides compute in
     * float32 in the same order; they differ only in how reductions (means, norms) accumulate
     * (double here, float with vectorised partial sums in PyTorch) and in FMA use — a few ulp
     * (float32 ulp ≈ 6e-8 relative), far below 1e-6. A wrong formula (e.g. eps inside the sqrt,
     * a missing bias correction, rows and columns swapped) is off by 1e-4 or more.
     */
    static final double TOLERANCE = 1e-6;

    /**
     * The update (after - before) is rounded into the parameter: one ulp of a parameter of 0.5 is
     * 6e-8, about 1e-4 of a 5e-4 update — so the update can only be compared to ~1e-4 relative,
     * and each element to a couple of ulp. Tightest bounds that still hold for correct code.
     */
    static final double DELTA_TOLERANCE = 1e-4;
    static final int MAX_ULPS = 2;

    static OptimReference ref;

    static double deltaError(float[] before, float[] actual, float[] expected) {
        double num = 0, den = 0;
        for (int i = 0; i < before.length; i++) {
            double da = (double) actual[i] - before[i], de = (double) expected[i] - before[i];
            num += (da - de) * (da - de);
            den += de * de;
        }
        return Math.sqrt(num / Math.max(den, 1e-300));
    }

    /**
     * Largest element difference in ulps of the tensor's largest magnitude (an element near zero
     * has tiny ulps of its own, so its error is measured on the tensor's scale).
     */
    static int maxUlps(float[] a, float[] b) {
        float scale = 0;
        for (float x : b) scale = Math.max(scale, Math.abs(x));
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
        return (int) Math.ceil(worst / Math.ulp(scale));
    }

    @BeforeAll
    static void load() throws IOException { ref = OptimReference.load(); }

    static Optimizer make(String mode, Map<String, Tensor> params) {
        return switch (mode) {
            case "adafactor_default" -> new Adafactor(params, AdafactorConfig.defaults());
            case "adafactor_lr1e-3" -> new Adafactor(params, AdafactorConfig.fixedLr(1e-3));
            case "adafactor_warmup_init" -> new Adafactor(params, AdafactorConfig.defaults().withWarmupInit(true));
            case "adafactor_beta1_wd" -> new Adafactor(params, AdafactorConfig.defaults().withBeta1(0.9).withWeightDecay(0.01));
            case "adamw_lr1e-3_wd0.01" -> new AdamW(params, AdamWConfig.of(1e-3, 0.01));
            default -> throw new IllegalArgumentException(mode);
        };
    }

    /** Gradients of reference step {@code step}, looked up by parameter identity. */
    static Function<Tensor, Tensor> gradsOf(Map<String, Tensor> params, int step) {
        Map<Tensor, Tensor> byParam = new IdentityHashMap<>();
        Map<String, Tensor> grads = ref.grads(step);
        params.forEach((name, p) -> byParam.put(p, grads.get(name)));
        return byParam::get;
    }

    @ParameterizedTest
    @ValueSource(strings = {"adafactor_default", "adafactor_lr1e-3", "adafactor_warmup_init", "adafactor_beta1_wd", "adamw_lr1e-3_wd0.01"})
    void matchesPyTorchStepByStep(String mode) {
        Map<String, Tensor> params = ref.initialParams();
        Optimizer opt = make(mode, params);
        double worst = 0, worstDelta = 0;
        int checked = 0, worstUlps = 0;
        for (int s = 0; s < ref.steps(); s++) {
            Map<String, float[]> before = new java.util.HashMap<>();
            params.forEach((k, v) -> before.put(k, v.toArray()));
            opt.step(gradsOf(params, s));
            for (Map.Entry<String, float[]> e : ref.after(mode, s).entrySet()) {
                float[] actual = params.get(e.getKey()).data(), expected = e.getValue();
                String where = mode + " step " + (s + 1) + " '" + e.getKey() + "'";
                double err = OptimReference.relativeL2(actual, expected);
                worst = Math.max(worst, err);
                assertTrue(err <= TOLERANCE, where + ": relative L2 error " + err);
                // The update itself (after - before), which is ~1e-3 of the parameter: a check on
                // parameters alone would hide a wrong update below 1e-6 · |param|.
                double deltaErr = deltaError(before.get(e.getKey()), actual, expected);
                worstDelta = Math.max(worstDelta, deltaErr);
                assertTrue(deltaErr <= DELTA_TOLERANCE, where + ": relative L2 error of the update " + deltaErr);
                int ulps = maxUlps(actual, expected);
                worstUlps = Math.max(worstUlps, ulps);
                assertTrue(ulps <= MAX_ULPS, where + ": " + ulps + " ulp (of the largest element) apart");
                checked++;
            }
        }
        System.out.printf("%s: %d parameter checks, worst relative L2 %.3g, worst update relative L2 %.3g, worst %d ulp%n",
                mode, checked, worst, worstDelta, worstUlps);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adafactor_default", "adafactor_beta1_wd", "adamw_lr1e-3_wd0.01"})
    void stateRoundTripResumesBitExactly(String mode) {
        Map<String, Tensor> straight = ref.initialParams();
        Optimizer a = make(mode, straight);
        int split = 2;
        for (int s = 0; s < split; s++) a.step(gradsOf(straight, s));
        Map<String, Tensor> saved = a.stateDict();

        Map<String, Tensor> resumed = copy(straight);
        Optimizer b = make(mode, resumed);
        b.loadStateDict(saved);
        assertEquals(split, b.step(0), "step counter restored");
        for (int s = split; s < ref.steps(); s++) {
            a.step(gradsOf(straight, s));
            b.step(gradsOf(resumed, s));
        }
        for (String k : straight.keySet()) {
            float[] x = straight.get(k).data(), y = resumed.get(k).data();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), mode + " '" + k + "'[" + i + "] differs after resume");
            }
        }
    }

    @Test
    void resumeWithoutStateDiverges() {
        // Guards the round-trip test: a fresh optimizer (state not loaded) must NOT reproduce the run.
        Map<String, Tensor> straight = ref.initialParams();
        Optimizer a = make("adafactor_default", straight);
        a.step(gradsOf(straight, 0));
        Map<String, Tensor> fresh = copy(straight);
        Optimizer b = make("adafactor_default", fresh);
        a.step(gradsOf(straight, 1));
        b.step(gradsOf(fresh, 1));
        assertTrue(OptimReference.relativeL2(fresh.get("matrix").data(), straight.get("matrix").data()) > 1e-6);
    }

    static Map<String, Tensor> copy(Map<String, Tensor> params) {
        Map<String, Tensor> m = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> m.put(k, Tensor.of(v.toArray(), v.shape())));
        return m;
    }
}
