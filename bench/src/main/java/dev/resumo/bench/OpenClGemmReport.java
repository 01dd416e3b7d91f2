package dev.resumo.bench;

import dev.resumo.engine.backend.DeviceBuffer;
import dev.resumo.engine.opencl.OpenClBackend;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * `resumo bench gemm --device opencl`: GFLOP/s of the OpenCL GEMM per shape and layout, operands
 * resident on the device (upload once, time kernel + queue drain only), with the CPU GEMM's
 * figure beside it.
 */
public final class OpenClGemmReport {
    private OpenClGemmReport() {}

    public static void run(OpenClBackend be, List<GemmShape> shapes, int repeats, boolean cpuToo, PrintStream out) {
        out.printf(Locale.ROOT, "device %s, GEMM %s%n%n", be.name(), be.gemmParams());
        out.printf(Locale.ROOT, "%-15s %-6s %9s %9s %9s%n", "shape MxKxN", "layout", "GFLOP/s", "best", "cpu");
        for (GemmShape s : shapes) {
            double[] r = measure(be, s, repeats);
            String cpu = cpuToo ? String.format(Locale.ROOT, "%.1f", GemmTiming.measure(s, Math.max(1, repeats / 2)).medianGflops()) : "-";
            out.printf(Locale.ROOT, "%-15s %-6s %9.1f %9.1f %9s%n", s.dims(), GemmReport.layoutName(s.layout()), r[0], r[1], cpu);
        }
        out.println();
        out.println("GFLOP/s: median of " + repeats + " timed runs (kernel + clFinish, operands on the device) after "
                + "2 warm-up runs; best: fastest run; cpu: the Java GEMM at the same shape.");
    }

    /**
     * The device's fp32 GEMM rate on its tuned tiles: the best of 3 runs of a 2048×2048×2048 A·B
     * (after one warm-up). `bench compare --device opencl` states Resumo's GFLOP/s against it; the
     * CPU's FMA peak said nothing about a GPU (the H200's training step read "483%" of it).
     */
    public static double gemmPeak(OpenClBackend be) {
        return measure(be, new GemmShape(2048, 2048, 2048, "NN"), 3)[1];
    }

    /** {median, best} GFLOP/s. */
    static double[] measure(OpenClBackend be, GemmShape s, int repeats) {
        Random rng = new Random(1);
        DeviceBuffer a = be.upload(GemmTiming.randomArray(rng, s.m() * s.k()));
        DeviceBuffer b = be.upload(GemmTiming.randomArray(rng, s.k() * s.n()));
        DeviceBuffer c = be.allocate(s.m() * s.n());
        try {
            for (int i = 0; i < 2; i++) run(be, s, a, b, c);
            double[] seconds = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                run(be, s, a, b, c);
                seconds[i] = (System.nanoTime() - t0) * 1e-9;
            }
            Arrays.sort(seconds);
            double median = repeats % 2 == 1 ? seconds[repeats / 2] : (seconds[repeats / 2 - 1] + seconds[repeats / 2]) / 2;
            return new double[] {s.flops() / median / 1e9, s.flops() / seconds[0] / 1e9};
        } finally {
            a.close();
            b.close();
            c.close();
        }
    }

    private static void run(OpenClBackend be, GemmShape s, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) {
        be.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, 0, b, 0, c, 0, false);
        be.finish();
    }
}
