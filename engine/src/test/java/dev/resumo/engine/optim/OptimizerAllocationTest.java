package dev.resumo.engine.optim;

import dev.resumo.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** State is allocated once: a step must not allocate (measured with the JVM's per-thread allocation counter). */
class OptimizerAllocationTest {
    @Test
    void stepsAllocateNothing() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random rnd = new Random(3);
        Map<String, Tensor> params = new LinkedHashMap<>();
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        for (int[] shape : new int[][] {{64, 96}, {96}, {2, 16, 24}}) {
            Tensor p = random(rnd, shape), g = random(rnd, shape);
            params.put("p" + params.size(), p);
            grads.put(p, g);
        }
        Function<Tensor, Tensor> gradOf = grads::get;
        Optimizer[] optimizers = {
                new Adafactor(params, AdafactorConfig.defaults()),
                new Adafactor(params, AdafactorConfig.defaults().withBeta1(0.9).withWeightDecay(0.01)),
                new AdamW(params, AdamWConfig.of(1e-3, 0.01))};
        for (Optimizer opt : optimizers) {
            // Warm up until C2 has compiled the update: Adafactor's vector loops allocate boxed
            // vectors while they run interpreted or in C1 (a probe: ~240 MB over the first 1000
            // steps of these shapes, nothing after 2000). Rounds of 500 steps until one allocates
            // (almost) nothing, at most 40, so a slow compiler queue does not fail the test and a
            // real per-step allocation still does (it never stops).
            long tid = Thread.currentThread().threadId();
            for (int round = 0; round < 40; round++) {
                long start = bean.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 500; i++) opt.step(gradOf);
                if (bean.getThreadAllocatedBytes(tid) - start < 2048) break;
            }
            long before = bean.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 100; i++) opt.step(gradOf);
            long allocated = bean.getThreadAllocatedBytes(tid) - before;
            System.out.printf("%s: 100 steps allocated %d bytes%n", opt.getClass().getSimpleName(), allocated);
            // A per-step allocation of any buffer would be ≥ 100 × 384 bytes; allow the counter's own noise.
            assertTrue(allocated < 2048, opt.getClass().getSimpleName() + ": 100 steps allocated " + allocated + " bytes");
        }
    }

    private static Tensor random(Random rnd, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) rnd.nextGaussian() * 0.3f;
        return t;
    }
}
