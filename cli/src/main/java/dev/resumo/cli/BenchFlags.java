package dev.resumo.cli;

import dev.resumo.train.TrainConfig;
import org.apache.commons.cli.CommandLine;

/**
 * Upper bounds shared by the bench commands, checked before any thread, socket or tensor exists:
 * an unbounded --threads or --clients once exhausted the host's process slots or file descriptors.
 */
final class BenchFlags {
    /** Most concurrent load-test clients; why 4096: see {@link dev.resumo.serve.LoadBench#MAX_CLIENTS}. */
    static final int MAX_CLIENTS = dev.resumo.serve.LoadBench.MAX_CLIENTS;
    /** Most sequences in one benchmark batch: a step at 4096 × 512 tokens is already hours on a CPU. */
    static final int MAX_BATCH = 4096;

    private BenchFlags() {}

    /** --threads, 1..{@link TrainConfig#MAX_THREADS} (the bound training uses), default all processors. */
    static int threads(CommandLine line) {
        return threads(FlagValues.intValue(line, "threads", Runtime.getRuntime().availableProcessors(), 1));
    }

    /** A thread count already read, checked against {@link TrainConfig#MAX_THREADS}. */
    static int threads(int v) {
        return atMost("threads", v, TrainConfig.MAX_THREADS, "(the bound training uses)");
    }

    static int clients(CommandLine line, int fallback) {
        return bounded(line, "clients", fallback, 1, MAX_CLIENTS, "(each client holds two file descriptors)");
    }

    static int batch(CommandLine line, String flag, int fallback) {
        return bounded(line, flag, fallback, 1, MAX_BATCH, "");
    }

    /** {@code v} when it is at most {@code max}, else a one-line error naming the flag. */
    static int atMost(String flag, int v, int max, String why) {
        if (v > max) throw new UserError("--" + flag + ": must be ≤ " + max + (why.isEmpty() ? "" : " " + why) + ", got " + v);
        return v;
    }

    static int bounded(CommandLine line, String flag, int fallback, int min, int max, String why) {
        return atMost(flag, FlagValues.intValue(line, flag, fallback, min), max, why);
    }
}
