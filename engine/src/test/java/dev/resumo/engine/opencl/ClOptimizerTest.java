package dev.resumo.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.optim.Adafactor;
import dev.resumo.engine.optim.AdafactorConfig;
import dev.resumo.engine.optim.AdamW;
import dev.resumo.engine.optim.AdamWConfig;
import dev.resumo.engine.optim.GradClip;
import dev.resumo.engine.optim.WeightDecayReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The device optimizers against the CPU ones: three steps on a matrix, a batched [2, 4, 5]
 * tensor and a vector, with fresh random gradients each step. Tolerance 1e-6 relative L2 on the
 * parameters (1e-4 on the updates): the device sums RMS and row means in float32 trees where the
 * CPU accumulates in double, which moves the update by ~1e-7 relative; a wrong factor, clip or
 * bias correction moves it by 1e-2 or more.
 */
@Tag("opencl")
class ClOptimizerTest {
    // {40, 600} and {3000}: large enough for the two-stage sum of squares (more than 1024 elements).
    // {2, 150, 24}: taller than ClAdafactor.COL_CHUNK (column sums in chunks of rows, a short last one).
    private static final int[][] SHAPES = {{6, 10}, {2, 4, 5}, {7}, {40, 600}, {3000}, {2, 150, 24}};

    private interface Steps {
        void step();
    }

    private void compare(String what, java.util.function.Function<Map<String, Tensor>, Steps> cpu,
                         java.util.function.Function<Map<String, Tensor>, Steps> dev) {
        OpenClBackend be = OpenClAvailable.backend();
        Random rng = new Random(5);
        Map<String, Tensor> host = new LinkedHashMap<>(), device = new LinkedHashMap<>();
        Map<String, float[]> initial = new LinkedHashMap<>();
        for (int i = 0; i < SHAPES.length; i++) {
            Tensor p = Tensor.randn(rng, 0.5f, SHAPES[i]);
            initial.put("p" + i, p.toArray());
            host.put("p" + i, p);
            device.put("p" + i, p.to(be));
        }
        Steps c = cpu.apply(host), d = dev.apply(device);
        for (int step = 0; step < 3; step++) {
            for (String name : host.keySet()) {
                Tensor g = Tensor.randn(rng, 1f, host.get(name).shape());
                host.get(name).setGrad(g);
                device.get(name).setGrad(g.to(be));
            }
            c.step();
            d.step();
        }
        for (String name : host.keySet()) {
            float[] expected = host.get(name).toArray(), actual = device.get(name).toArray(), before = initial.get(name);
            double num = 0, den = 0, unum = 0, uden = 0;
            for (int i = 0; i < expected.length; i++) {
                double diff = (double) expected[i] - actual[i];
                num += diff * diff;
                den += (double) expected[i] * expected[i];
                double upd = expected[i] - before[i];
                unum += diff * diff;
                uden += upd * upd;
            }
            double paramErr = Math.sqrt(num / den), updateErr = Math.sqrt(unum / uden);
            assertTrue(paramErr <= 1e-6, what + " " + name + ": parameter relative L2 " + paramErr);
            assertTrue(updateErr <= 1e-4, what + " " + name + ": update relative L2 " + updateErr);
        }
        System.out.println("OpenCL " + what + ": " + host.size() + " parameters match after 3 steps");
    }

    @Test
    void adafactorVariants() {
        for (AdafactorConfig cfg : new AdafactorConfig[] {AdafactorConfig.defaults(), AdafactorConfig.fixedLr(1e-3),
                AdafactorConfig.fixedLr(1e-2).withBeta1(0.9).withWeightDecay(0.01).withScaleParameter(false)}) {
            compare("adafactor " + cfg, ps -> new Adafactor(ps, cfg)::step,
                    ps -> new ClAdafactor(OpenClAvailable.backend(), ps, cfg)::step);
        }
    }

    /**
     * The device's weight decay bit for bit against transformers (zero gradients: the decay alone).
     * Cases whose lr is scaled by the parameter's RMS are left out: the device sums that RMS in a
     * float32 tree, so its lr may differ in the last bit from torch's, which no decay rounding fixes.
     */
    @Test
    void adafactorWeightDecayMatchesTransformersBitForBit() throws java.io.IOException {
        OpenClBackend be = OpenClAvailable.backend();
        int cases = 0, checked = 0;
        for (WeightDecayReference.Case c : WeightDecayReference.cases()) {
            if (c.lrFromRms()) continue;
            checked += WeightDecayReference.check(c, t -> t.to(be), ps -> new ClAdafactor(be, ps, c.config())::step);
            cases++;
        }
        assertTrue(cases >= 4, "cases run: " + cases);
        System.out.println("OpenCL Adafactor weight decay: " + cases + " cases, " + checked + " elements bit-identical to transformers");
    }

    @Test
    void standardOptimizersRunOnDeviceParametersAndRoundTripTheirState() {
        for (boolean adam : new boolean[] {false, true}) {
            java.util.function.Function<Map<String, Tensor>, dev.resumo.engine.optim.Optimizer> make = ps -> adam
                    ? new AdamW(ps, AdamWConfig.of(1e-3, 0.01))
                    : new Adafactor(ps, AdafactorConfig.fixedLr(1e-2).withBeta1(0.9));
            compare((adam ? "AdamW" : "Adafactor") + " API on device parameters",
                    ps -> make.apply(ps)::step, ps -> make.apply(ps)::step);
            // State saved from a device optimizer equals the CPU optimizer's; loading it into a fresh
            // device optimizer continues identically.
            OpenClBackend be = OpenClAvailable.backend();
            Random rng = new Random(11);
            Map<String, Tensor> host = new LinkedHashMap<>(), device = new LinkedHashMap<>();
            for (int i = 0; i < SHAPES.length; i++) {
                Tensor p = Tensor.randn(rng, 0.5f, SHAPES[i]);
                host.put("p" + i, p);
                device.put("p" + i, p.to(be));
            }
            var cpuOpt = make.apply(host);
            var devOpt = make.apply(device);
            for (int step = 0; step < 2; step++) {
                for (String name : host.keySet()) {
                    Tensor g = Tensor.randn(rng, 1f, host.get(name).shape());
                    host.get(name).setGrad(g);
                    device.get(name).setGrad(g.to(be));
                }
                cpuOpt.step();
                devOpt.step();
            }
            Map<String, Tensor> cpuState = cpuOpt.stateDict(), devState = devOpt.stateDict();
            assertTrue(cpuState.keySet().equals(devState.keySet()), "same state entries");
            for (String k : cpuState.keySet()) {
                float[] a = cpuState.get(k).toArray(), b = devState.get(k).toArray();
                for (int j = 0; j < a.length; j++) {
                    assertTrue(Math.abs(a[j] - b[j]) <= 1e-5 * Math.max(1e-3, Math.abs(a[j])), k + "[" + j + "]: " + a[j] + " vs " + b[j]);
                }
            }
            var reloaded = make.apply(device);
            reloaded.loadStateDict(devState);
            Map<String, Tensor> again = reloaded.stateDict();
            for (String k : devState.keySet()) {
                assertTrue(java.util.Arrays.equals(devState.get(k).toArray(), again.get(k).toArray()), k + " survives save/load");
            }
        }
    }

    @Test
    void gradientClippingOnTheDevice() {
        OpenClBackend be = OpenClAvailable.backend();
        Random rng = new Random(9);
        java.util.List<Tensor> host = new java.util.ArrayList<>(), onDevice = new java.util.ArrayList<>();
        for (int[] s : SHAPES) {
            Tensor g = Tensor.randn(rng, 3f, s);
            host.add(g);
            onDevice.add(g.to(be));
        }
        float hostNorm = GradClip.clipByGlobalNorm(host, 1.0);
        float devNorm = GradClip.clipByGlobalNorm(onDevice, 1.0);
        // float32 norms of ~30 values of size ~3: the two summation orders agree to ~1e-7 relative.
        assertTrue(Math.abs(hostNorm - devNorm) <= 1e-5 * hostNorm, "norm " + hostNorm + " vs " + devNorm);
        assertTrue(hostNorm > 1, "the test must actually clip");
        for (int i = 0; i < host.size(); i++) {
            float[] h = host.get(i).toArray(), d = onDevice.get(i).toArray();
            for (int j = 0; j < h.length; j++) assertTrue(Math.abs(h[j] - d[j]) <= 1e-6, "clipped value " + j);
        }
    }

    @Test
    void adamw() {
        AdamWConfig cfg = AdamWConfig.of(1e-3, 0.01);
        compare("adamw", ps -> new AdamW(ps, cfg)::step, ps -> new ClAdamW(OpenClAvailable.backend(), ps, cfg)::step);
    }

    /**
     * torch's lerp_ forms on the device too (weights-tools/fuzz_optimizers.py's finding, CPU side in
     * OptimizerFuzzRegressionTest): beta1 0 (weight 1) after a gradient of 1e5, a gradient of 1e-7
     * must become the first moment; m + 1·(g - m) made it 0 and flipped the step. beta1 0.5 takes the
     * second form with a weight of exactly 0.5. Element-wise only, so the device must land within
     * 2 ulp of the CPU optimizer (its sqrt and division may differ by an ulp); the old kernel was
     * ~1e7 ulp off for beta1 0.
     */
    @Test
    void adamwFirstMomentFormsMatchTheCpu() {
        OpenClBackend be = OpenClAvailable.backend();
        for (double beta1 : new double[] {0.0, 0.5}) {
            AdamWConfig cfg = new AdamWConfig(0.01, beta1, 0.0, 1e-8, 0.1);
            Random rng = new Random(3);
            Tensor host = Tensor.randn(rng, 0.01f, 9), device = host.to(be);
            AdamW cpu = new AdamW(Map.of("w", host), cfg), dev = new AdamW(Map.of("w", device), cfg);
            for (float scale : new float[] {1e5f, 1e-7f, 3f}) {
                Tensor g = Tensor.randn(rng, scale, 9);
                host.setGrad(g);
                device.setGrad(g.to(be));
                cpu.step();
                dev.step();
                float[] a = host.toArray(), b = device.toArray();
                for (int j = 0; j < a.length; j++) {
                    assertTrue(Math.abs(a[j] - b[j]) <= 2 * Math.ulp(Math.max(Math.abs(a[j]), Math.abs(b[j]))),
                            "beta1 " + beta1 + " gradient scale " + scale + " [" + j + "]: cpu " + a[j] + ", device " + b[j]);
                }
            }
        }
    }

    /**
     * Weight decay left out for some parameters, through the optimizers' own device path (device
     * parameters hand their updates to ClAdamW / ClAdafactor with the same exclusions). lr 1e-2 and
     * wd 0.5: decaying an excluded parameter would move it by 5e-3 a step, far above the tolerance.
     */
    @Test
    void excludedParametersSkipWeightDecayOnTheDevice() {
        java.util.Set<String> skip = java.util.Set.of("p2", "p4");
        AdamWConfig adamw = AdamWConfig.of(1e-2, 0.5);
        compare("adamw without decay of " + skip, ps -> new AdamW(ps, adamw, skip)::step, ps -> new AdamW(ps, adamw, skip)::step);
        AdafactorConfig adafactor = AdafactorConfig.fixedLr(1e-2).withWeightDecay(0.5);
        compare("adafactor without decay of " + skip, ps -> new Adafactor(ps, adafactor, skip)::step,
                ps -> new Adafactor(ps, adafactor, skip)::step);
    }
}
