package dev.resumo.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Peak FMA throughput: {@link FmaPeak#CHAINS} independent chains of FloatVector.fma, on one thread
 * and on all threads at once. One "op" is one flop, so the score reads as flops per microsecond
 * (MFLOP/s); for all threads JMH sums the threads' scores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBenchmark {
    /** Flops per call: 2 per lane per FMA (a product and a sum), as if vectors had 16 lanes. */
    private static final int FLOPS = 2 * FmaPeak.CHAINS * 16 * 100_000;
    /** Steps per call, scaled to the real vector width so that every call does {@link #FLOPS}. */
    private static final long ITERATIONS = 100_000L * 16 / FmaPeak.S.length();

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(FLOPS)
    public float oneThread() {
        return FmaPeak.chains(ITERATIONS, 1.0001f);
    }

    @Benchmark
    @Threads(Threads.MAX)
    @OperationsPerInvocation(FLOPS)
    public float allThreads() {
        return FmaPeak.chains(ITERATIONS, 1.0001f);
    }
}
