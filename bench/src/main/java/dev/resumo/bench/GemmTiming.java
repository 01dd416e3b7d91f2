package dev.resumo.bench;

import dev.resumo.engine.cpu.Gemm;
import java.util.Arrays;
import java.util.Random;

/** Times Resumo's {@link Gemm} at one shape: warm-up, then the median and best of timed runs. */
public final class GemmTiming {
    /** GFLOP/s of one shape: median of the timed runs, and the best one. */
    public record Result(GemmShape shape, double medianGflops, double bestGflops) {}

    private GemmTiming() {}

    private static boolean firstMeasured;

    public static Result measure(GemmShape shape, int repeats) {
        Random random = new Random(1);
        float[] a = randomArray(random, shape.m() * shape.k());
        float[] b = randomArray(random, shape.k() * shape.n());
        float[] c = new float[shape.m() * shape.n()];
        // Warm-up: at least 3 runs and 0.3 s, so the kernels are compiled and buffers grown. The
        // first shape warms for 2.5 s: until C2 has compiled the Vector API kernels (about 2 s on
        // two busy cores) they run interpreted, and the first shape's median measured that.
        long warmEnd = System.nanoTime() + (firstMeasured ? 300_000_000L : 2_500_000_000L);
        firstMeasured = true;
        for (int i = 0; i < 3 || System.nanoTime() < warmEnd; i++) run(shape, a, b, c);
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            run(shape, a, b, c);
            seconds[i] = (System.nanoTime() - t0) * 1e-9;
        }
        Arrays.sort(seconds);
        double median = repeats % 2 == 1 ? seconds[repeats / 2] : (seconds[repeats / 2 - 1] + seconds[repeats / 2]) / 2;
        return new Result(shape, shape.flops() / median / 1e9, shape.flops() / seconds[0] / 1e9);
    }

    static void run(GemmShape s, float[] a, float[] b, float[] c) {
        Gemm.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, 0, b, 0, c, 0, false);
    }

    static float[] randomArray(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = random.nextFloat() * 2 - 1;
        return x;
    }
}
