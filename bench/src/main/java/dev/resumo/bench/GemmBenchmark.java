package dev.resumo.bench;

import dev.resumo.engine.cpu.Gemm;
import dev.resumo.engine.cpu.Workers;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Resumo's GEMM at the T5-small shapes (M×K×N) in the three training layouts. Time per call;
 * GFLOP/s = 2·M·N·K / time. {@code threads} = 0 means all available processors.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"2048x512x512", "2048x512x2048", "2048x2048x512", "512x512x32128"})
    public String shape;

    @Param({"NN", "NT", "TN"})
    public String layout;

    @Param({"0"})
    public int threads;

    private GemmShape s;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        Workers.setThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        s = GemmShape.parse(shape + ":" + layout).getFirst();
        Random random = new Random(1);
        a = GemmTiming.randomArray(random, s.m() * s.k());
        b = GemmTiming.randomArray(random, s.k() * s.n());
        c = new float[s.m() * s.n()];
    }

    @Benchmark
    public float[] gemm() {
        Gemm.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, 0, b, 0, c, 0, false);
        return c;
    }
}
