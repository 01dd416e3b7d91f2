package dev.resumo.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * Encode throughput of a Java tokenizer: UTF-8 megabytes (10^6 bytes) of input text per second of
 * the encoding thread's CPU time, after a warm-up that lets the JIT compile the encoder. CPU time,
 * not wall time, because benchmark machines are often shared: the Python side counts the same way.
 */
public final class TokenizerThroughput {
    private TokenizerThroughput() {}

    /** What one measurement found. */
    public record Result(double megabytesPerSecond, int passes, double seconds, long bytesPerPass) {}

    /** UTF-8 size of the texts, the unit every throughput here is counted in. */
    public static long utf8Bytes(List<String> texts) {
        long n = 0;
        for (String t : texts) n += t.getBytes(StandardCharsets.UTF_8).length;
        return n;
    }

    /**
     * Encodes all {@code texts} again and again for {@code warmupSeconds} (discarded), then for at
     * least {@code seconds}, and returns the rate of the second phase.
     */
    public static Result measure(List<String> texts, Function<String, int[]> encoder, double warmupSeconds, double seconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long bytes = utf8Bytes(texts);
        long sink = 0;
        long warmStart = threads.getCurrentThreadCpuTime();
        while (threads.getCurrentThreadCpuTime() - warmStart < warmupSeconds * 1e9) sink += pass(texts, encoder);
        int passes = 0;
        long start = threads.getCurrentThreadCpuTime();
        long elapsed;
        do {
            sink += pass(texts, encoder);
            passes++;
            elapsed = threads.getCurrentThreadCpuTime() - start;
        } while (elapsed < seconds * 1e9);
        if (sink == 42) System.out.print(""); // keeps the results alive
        double secs = elapsed / 1e9;
        return new Result(passes * (double) bytes / secs / 1e6, passes, secs, bytes);
    }

    private static long pass(List<String> texts, Function<String, int[]> encoder) {
        long count = 0;
        for (String t : texts) count += encoder.apply(t).length;
        return count;
    }
}
