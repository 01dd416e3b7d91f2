package dev.resumo.engine.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resumo.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** clip_grad_norm_ and HF lr schedules against weights-tools/make_optim_reference.py. */
class GradClipAndScheduleTest {

    @Test
    void clipMatchesTorchClipGradNorm() throws IOException {
        OptimReference ref = OptimReference.load();
        JsonNode clip = ref.root.get("clip");
        int checked = 0;
        for (String maxNorm : List.of("1.0", "100.0")) {
            Map<String, Tensor> grads = ref.grads(ref.steps() - 1);
            float total = GradClip.clipByGlobalNorm(new ArrayList<>(grads.values()), Double.parseDouble(maxNorm));
            double expectedTotal = clip.get(maxNorm).get("total_norm").asDouble();
            // Norm of ~200 values: accumulation order differs (double here), so allow 1e-6 relative.
            assertEquals(expectedTotal, total, expectedTotal * 1e-6, "total norm, max " + maxNorm);
            Map<String, Tensor> expected = ref.tensors(clip.get(maxNorm).get("clipped"));
            for (String k : grads.keySet()) {
                double err = OptimReference.relativeL2(grads.get(k).data(), expected.get(k).data());
                assertTrue(err <= 1e-6, "clipped '" + k + "' (max " + maxNorm + "): relative L2 " + err);
                checked++;
            }
        }
        // Sanity: the reference really clips at 1.0 (so the test exercises scaling).
        assertTrue(clip.get("1.0").get("total_norm").asDouble() > 1.0);
        System.out.println("clip: " + checked + " tensors checked");
    }

    @Test
    void schedulesMatchHuggingFace() throws IOException {
        JsonNode s = OptimReference.load().root.get("schedules");
        check(LrSchedule.linearWarmupDecay(1.0, 10, 50), s.get("linear_warmup10_total50"));
        check(LrSchedule.inverseSqrt(1.0, 10), s.get("inverse_sqrt_warmup10"));
    }

    private static void check(LrSchedule schedule, JsonNode expected) {
        for (int t = 0; t < expected.size(); t++) {
            // Same double formula as HF's lambdas: agreement to rounding.
            assertEquals(expected.get(t).asDouble(), schedule.lr(t), 1e-12, "lr at step " + t);
        }
    }

    @Test
    void t5RsqrtIsFlatThenDecays() {
        LrSchedule s = LrSchedule.t5Rsqrt(10_000);
        assertEquals(0.01, s.lr(0), 1e-15);
        assertEquals(0.01, s.lr(10_000), 1e-15);
        assertEquals(1 / Math.sqrt(40_000), s.lr(40_000), 1e-15);
        assertEquals(0.5, LrSchedule.constant(0.5).lr(123), 0);
    }

    @Test
    void badSettingsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdafactorConfig(1e-3, 1e-30, 1e-3, 1, -0.8, null, 0, true, true, false));
        assertTrue(e.getMessage().contains("relative step"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdafactorConfig.fixedLr(1e-3).withWarmupInit(true));
        assertThrows(IllegalArgumentException.class, () -> AdamWConfig.of(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipByGlobalNorm(List.of(), 0));
        Adafactor relative = new Adafactor(Map.of("w", Tensor.zeros(2, 2)), AdafactorConfig.defaults());
        assertThrows(IllegalStateException.class, () -> relative.setLearningRate(1e-3));
    }

    @Test
    void loadStateRejectsMismatchedState() {
        Map<String, Tensor> p = Map.of("w", Tensor.zeros(2, 3));
        Adafactor a = new Adafactor(p, AdafactorConfig.defaults());
        Adafactor withMomentum = new Adafactor(p, AdafactorConfig.defaults().withBeta1(0.9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withMomentum.loadStateDict(a.stateDict()));
        assertTrue(e.getMessage().contains("w.exp_avg"), e.getMessage());
        AdamW adam = new AdamW(p, AdamWConfig.of(1e-3, 0));
        assertThrows(IllegalArgumentException.class, () -> a.loadStateDict(adam.stateDict()));
    }
}
