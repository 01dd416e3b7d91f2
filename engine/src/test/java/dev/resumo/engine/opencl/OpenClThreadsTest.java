package dev.resumo.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Several threads driving one device's runtime at once, as `resumo batch --device opencl` does:
 * Beam's DirectRunner runs its DoFn threads over the one summarizer (and so the one shared
 * runtime) that each JVM loads. Every launch is synchronized, but an op that spans launches must
 * not leave state between them that another thread's op can change.
 */
@Tag("opencl")
class OpenClThreadsTest {
    private static float[] gaussian(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    /**
     * Split-K products on two threads, each of its own matrices. The chunks' partial products went
     * to one scratch buffer per runtime, so another thread's chunks could overwrite them between a
     * product's two launches and the sum then added the other product's partials: a wrong result,
     * silently. Each thread's result is compared bit for bit with the same product run alone first:
     * the split adds its chunks in a fixed order, so timing must not change a single bit.
     */
    @Test
    void splitKProductsOnTwoThreadsEachGetTheirOwnResult() throws Exception {
        OpenClBackend cl = OpenClAvailable.backend();
        OpenClRuntime rt = cl.runtime();
        GemmParams tiles = new GemmParams(32, 32, 16, 2, 2);
        int m = 24, n = 20, k = 256, splits = 4, rounds = 1000, threads = 2;
        List<ClBuffer[]> inputs = new ArrayList<>();
        List<float[]> alone = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random rng = new Random(100 + t);
            ClBuffer a = rt.upload(gaussian(rng, m * k)), b = rt.upload(gaussian(rng, k * n));
            ClBuffer c = rt.allocate(m * n);
            ClGemm.runSplitK(rt, tiles, false, false, m, n, k, splits, a, 0, b, 0, c, 0, false);
            alone.add(c.download());
            inputs.add(new ClBuffer[] {a, b, c});
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ClBuffer[] in = inputs.get(t);
                float[] expected = alone.get(t);
                Callable<Integer> job = () -> {
                    start.await();
                    int bad = 0;
                    for (int r = 0; r < rounds; r++) {
                        ClGemm.runSplitK(rt, tiles, false, false, m, n, k, splits, in[0], 0, in[1], 0, in[2], 0, false);
                        if (!java.util.Arrays.equals(expected, in[2].download())) bad++;
                    }
                    return bad;
                };
                wrong.add(pool.submit(job));
            }
            for (int t = 0; t < threads; t++) {
                assertEquals(0, wrong.get(t).get(120, TimeUnit.SECONDS),
                        "thread " + t + ": split-K products (of " + rounds + ") that differ from the same product run alone");
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(alone.get(0), inputs.get(0)[2].download(), "the last product of thread 0");
    }
}
