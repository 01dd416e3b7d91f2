package dev.resumo.bench.compare;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.optim.Adafactor;
import dev.resumo.engine.optim.AdafactorConfig;
import dev.resumo.t5.Dropout;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.generate.Generated;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.Generator;
import dev.resumo.train.Parameter;
import dev.resumo.train.batch.TokenBatch;
import dev.resumo.train.batch.TokenizedExample;
import dev.resumo.train.t5.T5TrainableModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The whole workloads `bench compare` times on the Resumo side, matching
 * weights-tools/bench_compare_torch.py call for call: a training step (batch 8, 256 source and 64
 * target tokens, Adafactor lr 1e-3, fp32), greedy generation of 64 new tokens for batch 1 and 8,
 * beam search with 4 beams for batch 1. EOS is banned until 64 tokens (min = max new tokens) so
 * both sides generate the same lengths. Inputs are the same seeded ids on both sides.
 */
public final class T5Workloads {
    public static final int TRAIN_BATCH = 8;
    public static final int SOURCE = 256;
    public static final int TARGET = 64;
    public static final int NEW_TOKENS = 64;

    private final T5Model model;
    private final int repeats;
    private final Consumer<String> log;

    public T5Workloads(T5Model model, int repeats, Consumer<String> log) {
        this.model = model;
        this.repeats = repeats;
        this.log = log;
    }

    /** Workload names in the order they run; {@link #run(String)} takes one of them. */
    public static List<String> names() {
        return List.of("greedy1", "greedy8", "beam4", "train"); // train last: the heap it grows would count in the others' RSS
    }

    public WorkloadResult run(String name) {
        return run(name, BesideRuns.NONE);
    }

    /** As {@link #run(String)}, with {@code beside}'s calls around Resumo's warm-up and each timed run. */
    public WorkloadResult run(String name, BesideRuns beside) {
        T5Config c = model.config();
        return switch (name) {
            case "greedy1" -> generation(name, 1, 1, GenerationConfig.greedy(NEW_TOKENS).withMinNewTokens(NEW_TOKENS), beside);
            case "greedy8" -> generation(name, 8, 1, GenerationConfig.greedy(NEW_TOKENS).withMinNewTokens(NEW_TOKENS), beside);
            case "beam4" -> generation(name, 1, 4, GenerationConfig.beam(4, NEW_TOKENS).withMinNewTokens(NEW_TOKENS), beside);
            case "train" -> train(c, beside);
            default -> throw new IllegalArgumentException("unknown workload '" + name + "' (known: " + names() + ")");
        };
    }

    /** Token ids 2.. vocab-1 from a seeded generator (same rule as the Python side: (i * 7919 + 13) mod). */
    public static int[] ids(int count, int vocab, int salt) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = 2 + (int) (((long) i * 7919 + 13 + salt * 104729L) % (vocab - 2));
        return ids;
    }

    /**
     * The Trainer's step (T5TrainableModel): gradients in the parameters' own buffers, zeroed in
     * place each step; activations from its recycled step buffers. Same ids as the Python side.
     */
    private WorkloadResult train(T5Config c, BesideRuns beside) {
        int[] source = ids(TRAIN_BATCH * SOURCE, c.vocabSize(), 0), target = ids(TRAIN_BATCH * TARGET, c.vocabSize(), 1);
        List<TokenizedExample> rows = new ArrayList<>();
        for (int i = 0; i < TRAIN_BATCH; i++) {
            rows.add(new TokenizedExample("bench-" + i, Arrays.copyOfRange(source, i * SOURCE, (i + 1) * SOURCE),
                    Arrays.copyOfRange(target, i * TARGET, (i + 1) * TARGET)));
        }
        TokenBatch data = TokenBatch.of(rows); // no padding: every row has the full lengths
        T5TrainableModel trainable = new T5TrainableModel(model); // dropout_rate 0 in the bench shapes
        Adafactor opt = new Adafactor(model.parameters(), AdafactorConfig.fixedLr(1e-3));
        Random unusedDropout = new Random(0);
        settle();
        double[] t = time("train", beside, () -> {
            for (Parameter p : trainable.parameters()) p.zeroGrad();
            trainable.accumulateGradients(data, unusedDropout, 1f);
            opt.step();
        });
        for (Tensor p : model.parameters().values()) p.setGrad(null);
        for (Tensor p : model.parameters().values()) p.requiresGrad(false);
        return new WorkloadResult("train", t[0], t[1], TRAIN_BATCH, "examples",
                WorkloadFlops.trainingStep(c, TRAIN_BATCH, SOURCE, TARGET), PeakRss.mib(), t[2]);
    }

    private WorkloadResult generation(String name, int batch, int beams, GenerationConfig settings, BesideRuns beside) {
        T5Config c = model.config();
        int[] ids = ids(batch * SOURCE, c.vocabSize(), 2);
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        settle();
        Backend device = model.parameters().values().iterator().next().backend();
        long launchesBefore = device == null ? -1 : device.kernelLaunches();
        int[] runs = {0};
        double[] t = time(name, beside, () -> {
            Generated g = Generator.generate(model, ids, mask, batch, SOURCE, settings);
            for (int[] seq : g.sequences()) {
                if (seq.length != NEW_TOKENS + 1) throw new IllegalStateException(name + ": generated " + (seq.length - 1) + " tokens, expected " + NEW_TOKENS);
            }
            runs[0]++;
        });
        if (launchesBefore >= 0) logLaunches(name, device, (device.kernelLaunches() - launchesBefore) / runs[0], ids, mask, batch);
        return new WorkloadResult(name, t[0], t[1], (double) batch * NEW_TOKENS, "new tokens",
                WorkloadFlops.generation(c, batch, batch * beams, SOURCE, NEW_TOKENS), PeakRss.mib(), t[2]);
    }

    /**
     * Kernel launches of one generate call on a device, and per decode step: the call less one
     * encoder pass, over the {@link #NEW_TOKENS} steps (the cross-attention projections made once
     * per call are spread over the steps). On a GPU a decode step is bound by its launches.
     */
    private void logLaunches(String name, Backend device, long perRun, int[] ids, int[] mask, int batch) {
        long before = device.kernelLaunches();
        try (var _ = Autograd.noGrad()) {
            model.encode(ids, mask, batch, SOURCE, Dropout.OFF);
        }
        long encoder = device.kernelLaunches() - before;
        log.accept(String.format(java.util.Locale.ROOT, "resumo %s: %d kernel launches per generate call, %d in the encoder, "
                + "%.1f per decode step (%d steps)", name, perRun, encoder, (perRun - encoder) / (double) NEW_TOKENS, NEW_TOKENS));
    }

    /** Collects garbage (so G1 can give back heap an earlier workload grew) and resets the peak RSS. */
    private static void settle() {
        System.gc();
        PeakRss.reset();
    }

    /** Most warm-up runs before timing starts, whatever the JIT is still doing. */
    static final int MAX_WARMUPS = 20;
    /**
     * Least warm-up time per workload. Why: a fresh JVM compiles for about 4 s (`-XX:+PrintCompilation`:
     * 1757, 914, 565, 265 compilations in its first four seconds, under 70 a second after), on the
     * same two cores the workload runs on, so the first workload's runs swing while it lasts; greedy
     * batch 1, the first workload, settled on two slow runs and was timed at 0.30-0.36 s in round 1
     * of `--rounds 3` against 0.21-0.25 s in rounds 2 and 3 (round 1 2.03-2.13x PyTorch, the others
     * 3.2-3.6x, in two sessions).
     */
    static final double MIN_WARMUP_SECONDS = 3.0;

    /**
     * Warm-up runs — at least {@link #minWarmups} and {@link #MIN_WARMUP_SECONDS}, then until one is
     * within 5% of the one before and the JIT compiled for under {@link #MAX_JIT_SHARE} of it (at
     * most {@link #MAX_WARMUPS}) — then {@code repeats} timed runs;
     * {median, best} in seconds. Why
     * this many: HotSpot compiles a workload's kernels during its first runs, and code compiled for
     * the generation workloads (which never record a tape) is thrown away and recompiled when the
     * training step first records one. Measured after greedy batch 8: training steps of 3.8, 3.7,
     * 3.9, 3.2, 2.3, 2.5, 2.4 s against 2.0-2.1 s steady — the first steps measure the JIT, and two
     * similar slow steps do not mean it is done. The Python side needs one warm-up (no JIT).
     * Third value: the heap allocated per timed run, in MiB (all threads). {@code beside} is told
     * before the warm-up, around each timed run and after the last (`--paired`: PyTorch's runs).
     */
    private double[] time(String name, BesideRuns beside, Runnable work) {
        beside.prepare(name);
        double previous = Double.NaN, warmed = 0;
        for (int w = 1; w <= MAX_WARMUPS; w++) {
            long jitBefore = JitActivity.millis();
            double s = timeOnce(work);
            long jitMs = jitBefore < 0 ? -1 : JitActivity.millis() - jitBefore;
            warmed += s;
            log.accept(String.format(java.util.Locale.ROOT, "resumo %s warm-up %d: %.3f s (JIT %d ms)", name, w, s, jitMs));
            boolean settled = settled(name, w, s, previous, warmed) && jitQuiet(s, jitMs);
            previous = s;
            if (settled) break;
        }
        // Timed from a collected heap, as a long-running process decodes between its collections.
        // Why: a fresh JVM's greedy batch-1 decoding ran 0.30-0.40 s a call from when its decode
        // weights were made until the next collection (young or full), 0.20-0.24 s after it
        // (-Xlog:gc beside the runs: 0.365, 0.343, [young GC], 0.258, 0.211, 0.206 s); the timed runs of
        // round 1 landed in that stretch or not by chance. Round 1, greedy batch 1, interleaved: with
        // this collection 0.217-0.240 s, without 0.213-0.401 s; round 2 0.21-0.22 s either way.
        System.gc();
        long allocatedBefore = HeapAllocation.bytes();
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            beside.beforeRun(name, i);
            long jitBefore = JitActivity.millis();
            double s = timeOnce(work);
            long jitMs = jitBefore < 0 ? -1 : JitActivity.millis() - jitBefore;
            log.accept(String.format(java.util.Locale.ROOT, "resumo %s run %d: %.3f s (JIT %d ms)", name, i + 1, s, jitMs));
            beside.afterRun(name, i, s);
            seconds.add(s);
        }
        // (with --paired this counts the few KiB of reading PyTorch's replies too)
        double allocatedMib = HeapAllocation.mibSince(allocatedBefore) / repeats;
        beside.finish(name);
        seconds.sort(null);
        int n = seconds.size();
        double median = n % 2 == 1 ? seconds.get(n / 2) : (seconds.get(n / 2 - 1) + seconds.get(n / 2)) / 2;
        return new double[] {median, seconds.get(0), allocatedMib};
    }

    /** Whether warm-up run {@code w} ({@code seconds}, after one of {@code previous}; {@code warmed} in all) ends the warm-up. */
    static boolean settled(String name, int w, double seconds, double previous, double warmed) {
        return w >= minWarmups(name) && warmed >= MIN_WARMUP_SECONDS && Math.abs(seconds - previous) <= 0.05 * previous;
    }

    /**
     * Share of a warm-up run's wall time the JIT may have spent compiling for the run to count as
     * settled. Why: two runs can agree while HotSpot is still recompiling (a method deoptimized when
     * the training step first records a tape, say, runs C1's boxed Vector API code until C2 is
     * done); timed runs that fell in such a stretch allocated 46 MiB more per greedy batch-1 run and
     * 506 MiB more per training step than settled ones (`heap allocated per run`, 1 fresh JVM in 4
     * here, half of it on the worker thread), with 100-170 ms of compilation inside single timed runs.
     */
    static final double MAX_JIT_SHARE = 0.05;

    /** Whether a run of {@code seconds} with {@code jitMs} of compilation beside it (-1: unknown) ran on settled code. */
    static boolean jitQuiet(double seconds, long jitMs) {
        return jitMs < 0 || jitMs <= MAX_JIT_SHARE * seconds * 1000;
    }

    /** The training step needs the most: its backward code is first compiled after generation ran. */
    static int minWarmups(String name) {
        return name.equals("train") ? 5 : 2;
    }

    private static double timeOnce(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
