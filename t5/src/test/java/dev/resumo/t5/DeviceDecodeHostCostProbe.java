package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.opencl.OpenClBackend;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.Generator;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The host's cost per kernel launch of whole device decodes on OpenCL, in the calling thread: a
 * greedy batch-1 generate call (64 new tokens, EOS held off) of a 6+6-layer T5 as narrow as the
 * test models (d_model 16: PoCL's kernels stay short, the launch structure is a real model's),
 * divided by its launches. Thread CPU time and heap allocated (com.sun.management.ThreadMXBean)
 * against LaunchOverheadProbe's raw enqueue floor tell how much is Resumo's Java. Prints figures
 * (bench/README.md, "Host cost of an OpenCL launch"); asserts only that the work was done. Slow:
 * {@code -Dresumo.test.excludedGroups= -Dtest=DeviceDecodeHostCostProbe}.
 */
@Tag("slow")
@Tag("opencl")
class DeviceDecodeHostCostProbe {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void greedyGenerateHostCostPerLaunch() {
        OpenClBackend be = OpenClTestDevice.backendOrSkip();
        T5Model host = T5Init.random(T5Config.fromJson(T5ConfigTest.tiny().put("num_layers", 6).put("num_decoder_layers", 6)),
                new Random(7));
        T5Model device = DeviceModels.onDevice(host, be);
        int length = 32;
        int[] ids = new int[length];
        for (int i = 0; i < length - 1; i++) ids[i] = 3 + (i * 7) % 90;
        ids[length - 1] = 1;
        int[] mask = new int[length];
        Arrays.fill(mask, 1);
        GenerationConfig greedy = GenerationConfig.greedy(64).withMinNewTokens(64);
        int rounds = Integer.getInteger("resumo.probe.rounds", 12), warm = 4; // more rounds for a profiler
        double[] wall = new double[rounds], cpu = new double[rounds], bytes = new double[rounds], launches = new double[rounds];
        long tid = Thread.currentThread().threadId();
        try (var _ = Autograd.noGrad()) {
            for (int r = 0; r < rounds; r++) {
                be.finish();
                long l0 = be.kernelLaunches(), w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
                long a0 = THREADS.getThreadAllocatedBytes(tid);
                int[][] out = Generator.generate(device, ids, mask, 1, length, greedy).padded(0);
                long n = be.kernelLaunches() - l0;
                assertTrue(out[0].length >= 64, "64 new tokens generated");
                launches[r] = n;
                wall[r] = (System.nanoTime() - w0) / 1e3 / n;
                cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / n;
                bytes[r] = (double) (THREADS.getThreadAllocatedBytes(tid) - a0) / n;
            }
        }
        System.out.printf("greedy batch 1, 64 new tokens, 6+6 layers: %.0f launches; per launch wall %.2f us, thread CPU %.2f us,"
                + " heap %.0f B (median of %d runs after %d warm-ups)%n", median(launches, warm), median(wall, warm),
                median(cpu, warm), median(bytes, warm), rounds - warm, warm);
    }

    private static double median(double[] v, int skip) {
        double[] t = Arrays.copyOfRange(v, skip, v.length);
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
