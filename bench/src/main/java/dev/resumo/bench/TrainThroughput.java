package dev.resumo.bench;

import dev.resumo.bench.compare.HeapAllocation;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.Workers;
import dev.resumo.engine.optim.GradClip;
import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import dev.resumo.t5.T5Model;
import dev.resumo.train.EngineOptimizer;
import dev.resumo.train.Parameter;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.batch.TokenBatch;
import dev.resumo.train.batch.TokenizedExample;
import dev.resumo.train.t5.T5TrainableModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Training throughput (examples/s) of Resumo alone: the Trainer's optimizer step — zero grads,
 * forward + backward, clip to norm 1, Adafactor (the defaults: fixed lr 1e-3) — on random full-length
 * batches at a named shape. The load average is printed with the figures, since the machine may be shared.
 */
public final class TrainThroughput {
    /**
     * Shape, batch geometry, timed steps after untimed warm-up steps. With {@code variedLengths} the
     * lengths are the longest a batch may have: see {@link VariedLengthBatches}.
     */
    public record Settings(String shape, int batchSize, int sourceLength, int targetLength, int steps, int warmup,
                           boolean variedLengths, boolean gradientCheckpointing) {
        public Settings {
            if (batchSize < 1 || sourceLength < 2 || targetLength < 1 || steps < 1 || warmup < 0) {
                throw new IllegalArgumentException("batch ≥ 1, source ≥ 2, target ≥ 1, steps ≥ 1, warm-up ≥ 0");
            }
        }

        /** Every batch full length (the shape `bench compare` times). */
        public Settings(String shape, int batchSize, int sourceLength, int targetLength, int steps, int warmup) {
            this(shape, batchSize, sourceLength, targetLength, steps, warmup, false, false);
        }
    }

    /** Seconds of every timed step, and the examples per second they give. */
    public record Result(double[] stepSeconds, double examplesPerSecond) {}

    private TrainThroughput() {}

    public static Result run(Settings s, PrintStream out) {
        T5Config config = T5Shapes.config(s.shape());
        T5Model t5 = T5Init.random(config, new Xoshiro256Random(1));
        t5.gradientCheckpointing(s.gradientCheckpointing());
        T5TrainableModel model = new T5TrainableModel(t5);
        List<Parameter> params = model.parameters();
        List<Tensor> grads = params.stream().map(Parameter::grad).toList();
        EngineOptimizer optimizer = EngineOptimizer.create(TrainConfig.defaults(), params);
        Random rng = new Xoshiro256Random(2);
        List<TokenBatch> batches = new ArrayList<>();
        if (s.variedLengths()) {
            batches.addAll(VariedLengthBatches.make(s.batchSize(), s.sourceLength(), s.targetLength(), s.warmup() + s.steps(),
                    config.vocabSize(), rng));
        } else {
            for (int i = 0; i < 2; i++) batches.add(randomBatch(s, config.vocabSize(), rng));
        }
        out.printf("bench train: shape %s (%,d parameters, dropout %.2f), batch %d × source %s%d → target %s%d, Adafactor lr 1e-3,"
                        + " clip 1.0, %d threads%s; %d warm-up + %d timed steps; load average %s%n",
                s.shape(), T5Shapes.parameterCount(config), config.dropoutRate(), s.batchSize(), s.variedLengths() ? "≤ " : "",
                s.sourceLength(), s.variedLengths() ? "≤ " : "", s.targetLength(), Workers.threads(),
                s.gradientCheckpointing() ? ", gradient checkpointing" : "", s.warmup(), s.steps(), loadAverage());
        double[] seconds = new double[s.steps()];
        long tokens = 0;
        long[] buffersBefore = null;
        long heapBefore = 0;
        for (int i = -s.warmup(); i < s.steps(); i++) {
            if (i == 0) {
                buffersBefore = model.stepBufferRequestsAndReuses();
                heapBefore = HeapAllocation.bytes();
            }
            TokenBatch batch = s.variedLengths() ? batches.get(i + s.warmup()) : batches.get(Math.floorMod(i, batches.size()));
            long t0 = System.nanoTime();
            for (Parameter p : params) p.zeroGrad();
            float loss = model.accumulateGradients(batch, rng, 1f);
            GradClip.clipByGlobalNorm(grads, 1.0);
            optimizer.step(params, 1e-3);
            double dt = (System.nanoTime() - t0) / 1e9;
            if (i >= 0) {
                seconds[i] = dt;
                tokens += (long) batch.batchSize() * (batch.sourceLength() + batch.targetLength());
            }
            out.printf("  %s step %d: %.3f s (loss %.3f)%s%n", i < 0 ? "warm-up" : "timed", i < 0 ? i + s.warmup() + 1 : i + 1, dt, loss,
                    s.variedLengths() ? String.format(" batch %d × %d → %d", batch.batchSize(), batch.sourceLength(), batch.targetLength()) : "");
        }
        double heapMib = HeapAllocation.mibSince(heapBefore);
        long[] buffersAfter = model.stepBufferRequestsAndReuses();
        double total = Arrays.stream(seconds).sum();
        double examplesPerSecond = s.steps() * s.batchSize() / total;
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        out.printf("bench train: %.2f examples/s (%.0f padded tokens/s); step mean %.3f s, median %.3f s, min %.3f s; load average %s%n",
                examplesPerSecond, tokens / total, total / s.steps(), sorted[sorted.length / 2], sorted[0], loadAverage());
        long requests = buffersAfter[0] - buffersBefore[0];
        out.printf("bench train: timed steps allocated %.1f MiB of heap a step; step buffers: %,d arrays asked for, %.1f%% reused%n",
                heapMib / s.steps(), requests, requests == 0 ? 0.0 : 100.0 * (buffersAfter[1] - buffersBefore[1]) / requests);
        // The pool is exact (what the step keeps for the next); the peak RSS also counts the heap
        // G1 has not given back, so it moves between runs of the same build.
        long[] drops = model.stepBufferDropsAndCollections();
        out.printf("bench train: memory: step buffers kept between steps %s, dropped for other shapes %s (%d full collections"
                        + " asked for), peak RSS %s%n", ProcessMemory.mib(model.stepBufferBytes()), ProcessMemory.mib(drops[0]), drops[1],
                ProcessMemory.mib(ProcessMemory.now().vmHwm()));
        return new Result(seconds, examplesPerSecond);
    }

    /** Full-length rows of random ids (3..vocab-1), each source ending with </s> (1), like a packed dataset batch. */
    private static TokenBatch randomBatch(Settings s, int vocab, Random rng) {
        int top = Math.min(vocab, 32000);
        List<TokenizedExample> rows = new ArrayList<>();
        for (int r = 0; r < s.batchSize(); r++) {
            int[] source = new int[s.sourceLength()];
            int[] target = new int[s.targetLength()];
            for (int i = 0; i < source.length - 1; i++) source[i] = 3 + rng.nextInt(top - 3);
            source[source.length - 1] = 1;
            for (int i = 0; i < target.length - 1; i++) target[i] = 3 + rng.nextInt(top - 3);
            target[target.length - 1] = 1;
            rows.add(new TokenizedExample("random-" + r, source, target));
        }
        return TokenBatch.of(rows);
    }

    /** The 1/5/15-minute load averages from /proc/loadavg, or "n/a". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
