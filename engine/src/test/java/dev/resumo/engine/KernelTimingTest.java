package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rough single-process timings of the non-GEMM kernels at T5-small-like shapes, next to plain
 * scalar loops doing the same work (the "before" of vectorising); both sides allocate their
 * output array per call, as the ops do. Slow: run with
 * {@code bin/test -pl engine -Dtest=KernelTimingTest -Dresumo.test.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class KernelTimingTest {
    private static double millis(Runnable r) {
        long until = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < until) r.run();
        int reps = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) r.run();
        return (System.nanoTime() - t0) / 1e6 / reps;
    }

    @Test
    void timings() {
        Random rng = new Random(1);
        Tensor scores = Tensor.randn(rng, 1f, 4, 8, 256, 256);
        Tensor mask = Tensor.randn(rng, 1f, 1, 8, 256, 256);
        Tensor h = Tensor.randn(rng, 1f, 1024, 512);
        Tensor w = Tensor.randn(rng, 1f, 512);
        Tensor ff = Tensor.randn(rng, 1f, 1024, 2048);
        float[] sd = scores.toArray(), md = mask.toArray(), hd = h.toArray(), wd = w.toArray();

        report("softmax+mask [4,8,256,256]", millis(() -> Ops.softmax(scores, mask)), millis(() -> {
            int n = 256;
            float[] out = new float[sd.length];
            for (int r = 0; r < sd.length / n; r++) {
                int mo = (r % (md.length / n)) * n;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) max = Math.max(max, sd[r * n + i] + md[mo + i]);
                float s = 0;
                for (int i = 0; i < n; i++) s += out[r * n + i] = (float) Math.exp(sd[r * n + i] + md[mo + i] - max);
                for (int i = 0; i < n; i++) out[r * n + i] /= s;
            }
        }));
        report("rmsNorm [1024,512]", millis(() -> Ops.rmsNorm(h, w, 1e-6f)), millis(() -> {
            float[] out = new float[hd.length];
            for (int r = 0; r < 1024; r++) {
                double ss = 0;
                for (int i = 0; i < 512; i++) ss += hd[r * 512 + i] * hd[r * 512 + i];
                float inv = (float) (1 / Math.sqrt(ss / 512 + 1e-6));
                for (int i = 0; i < 512; i++) out[r * 512 + i] = hd[r * 512 + i] * inv * wd[i];
            }
        }));
        report("add row-broadcast [1024,512]+[512]", millis(() -> Ops.add(h, w)), millis(() -> {
            float[] out = new float[hd.length];
            for (int r = 0; r < 1024; r++) for (int i = 0; i < 512; i++) out[r * 512 + i] = hd[r * 512 + i] + wd[i];
        }));
        float[] fd = ff.toArray();
        report("gelu [1024,2048]", millis(() -> Ops.gelu(ff)), millis(() -> {
            float[] out = new float[fd.length];
            for (int i = 0; i < fd.length; i++) {
                float v = fd[i];
                out[i] = 0.5f * v * (1f + (float) Math.tanh(0.7978846f * (v + 0.044715f * v * v * v)));
            }
        }));
        Tensor sg = scores.detach().requiresGrad(true);
        Tensor r = Tensor.randn(rng, 1f, 4, 8, 256, 256);
        double bwd = millis(() -> Ops.sum(Ops.mul(Ops.softmax(sg, mask), r)).backward());
        System.out.printf("softmax+mul+sum fwd+bwd [4,8,256,256]: %.2f ms%n", bwd);
        assertTrue(bwd > 0);
    }

    private static void report(String name, double engine, double scalar) {
        System.out.printf("%-40s engine %7.2f ms   scalar loop %7.2f ms   (x%.1f)%n", name, engine, scalar, scalar / engine);
    }
}
