package dev.resumo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.bench.GemmShape;
import dev.resumo.bench.GemmTiming;
import dev.resumo.bench.OpenClGemmReport;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.cpu.Workers;
import dev.resumo.engine.opencl.OpenClBackend;
import dev.resumo.engine.optim.Adafactor;
import dev.resumo.engine.optim.AdafactorConfig;
import dev.resumo.t5.Dropout;
import dev.resumo.t5.Seq2SeqBatch;
import dev.resumo.t5.SequenceLimits;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import dev.resumo.t5.T5Model;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * `resumo bench device --device opencl` (was `bench compare --device`, a name `bench compare` now
 * gives to the side-by-side with PyTorch): one T5 training step (forward, backward, Adafactor)
 * timed on the CPU and on the device, on the same random model and batch, plus the GEMM GFLOP/s
 * of the model's feed-forward product on both.
 */
final class BenchDeviceCommand implements Subcommand {
    @Override
    public String name() {
        return "bench device";
    }

    @Override
    public String summary() {
        return "training-step time and GEMM GFLOP/s of a random T5 on the CPU and on --device side by side";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(DeviceFlag.option());
        o.addOption(opt("size", "NAME", "model size: tiny (d_model 32, 2+2 layers, the golden test model) or small "
                + "(t5-small: d_model 512, 6+6 layers) (default: tiny)"));
        o.addOption(opt("batch", "N", "sequences per step; at most " + BenchFlags.MAX_BATCH + " (default: 4)"));
        o.addOption(opt("source-length", "N", "source tokens per sequence; at most " + SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 64)"));
        o.addOption(opt("target-length", "N", "target tokens per sequence; at most " + SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 16)"));
        o.addOption(opt("steps", "N", "timed steps after one warm-up step; the median is reported (default: 5)"));
        o.addOption(opt("threads", "N", "CPU worker threads; at most " + dev.resumo.train.TrainConfig.MAX_THREADS + " (default: available processors, "
                + Runtime.getRuntime().availableProcessors() + " here)"));
        return o;
    }

    private static Option opt(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).get();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        // Every bound before any thread, tensor or device buffer exists.
        int batch = BenchFlags.batch(line, "batch", 4);
        int source = SequenceLengthFlags.tokens(line, "source-length", 64, 1);
        int target = SequenceLengthFlags.tokens(line, "target-length", 16, 1);
        int steps = FlagValues.intValue(line, "steps", 5, 1);
        int threads = BenchFlags.threads(line);
        T5Config config = config(line.getOptionValue("size", "tiny"));
        Workers.setThreads(threads);
        Backend device = DeviceFlag.backend(line, err);
        if (device == null) throw new UserError("--device: bench device needs an OpenCL device to compare with the CPU (e.g. --device opencl)");

        Random rng = new Random(1);
        T5Model host = T5Init.random(config, rng);
        Seq2SeqBatch data = randomBatch(config, batch, source, target, rng);
        T5Model onDevice = DeviceFlag.onDevice(host, device); // uploaded before the CPU steps change the weights
        out.printf(Locale.ROOT, "model: d_model %d, d_ff %d, %d+%d layers, vocab %d; batch %d x (%d source, %d target) tokens%n",
                config.dModel(), config.dFf(), config.numLayers(), config.numDecoderLayers(), config.vocabSize(), batch, source, target);
        // Each row as soon as it is measured (a run stopped half-way still says how far it got).
        out.printf(Locale.ROOT, "%-44s %10s %12s%n", "training step (forward + backward + Adafactor)", "ms", "tokens/s");
        double cpu = stepMillis(host, null, data, steps);
        out.printf(Locale.ROOT, "%-44s %10.1f %12.0f%n", "cpu (" + Workers.threads() + " threads)", cpu, batch * (source + target) / (cpu / 1e3));
        out.flush();
        double dev = stepMillis(onDevice, (OpenClBackend) device, data, steps);
        out.printf(Locale.ROOT, "%-44s %10.1f %12.0f%n", device.name(), dev, batch * (source + target) / (dev / 1e3));
        out.printf(Locale.ROOT, "device / cpu step time: %.2f%n%n", dev / cpu);

        GemmShape ffn = new GemmShape(batch * source, config.dModel(), config.dFf(), "NT");
        double cpuGflops = GemmTiming.measure(ffn, 5).medianGflops();
        OpenClGemmReport.run((OpenClBackend) device, java.util.List.of(ffn), 5, false, out);
        out.printf(Locale.ROOT, "cpu GEMM %s A·Bᵀ: %.1f GFLOP/s%n", ffn.dims(), cpuGflops);
        return 0;
    }

    private static T5Config config(String size) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("vocab_size", 32128);
        o.put("feed_forward_proj", "relu");
        o.put("dropout_rate", 0.0);
        switch (size) {
            case "tiny" -> {
                o.put("d_model", 32); o.put("d_kv", 8); o.put("d_ff", 64); o.put("num_layers", 2); o.put("num_heads", 4);
                o.put("relative_attention_num_buckets", 32); o.put("relative_attention_max_distance", 128);
            }
            case "small" -> {
                o.put("d_model", 512); o.put("d_kv", 64); o.put("d_ff", 2048); o.put("num_layers", 6); o.put("num_heads", 8);
                o.put("relative_attention_num_buckets", 32); o.put("relative_attention_max_distance", 128);
            }
            default -> throw new UserError("--size must be tiny or small, got '" + size + "'");
        }
        return T5Config.fromJson(o);
    }

    private static Seq2SeqBatch randomBatch(T5Config c, int batch, int source, int target, Random rng) {
        int[] ids = new int[batch * source], mask = new int[batch * source], labels = new int[batch * target];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 2 + rng.nextInt(c.vocabSize() - 2);
            mask[i] = 1;
        }
        for (int i = 0; i < labels.length; i++) labels[i] = 2 + rng.nextInt(c.vocabSize() - 2);
        return new Seq2SeqBatch(batch, source, ids, mask, target, labels);
    }

    /** Median wall time of one full step; loss.item() makes the device finish its queue each step. */
    private static double stepMillis(T5Model model, OpenClBackend device, Seq2SeqBatch data, int steps) {
        for (Tensor p : model.parameters().values()) p.requiresGrad(true);
        // The same optimizer class on both sides: on device parameters it runs as device kernels.
        Adafactor opt = new Adafactor(model.parameters(), AdafactorConfig.fixedLr(1e-3));
        double[] ms = new double[steps];
        for (int i = -1; i < steps; i++) {
            long t0 = System.nanoTime();
            T5Model.Output out = model.forward(data, Dropout.OFF);
            out.loss().backward();
            opt.step();
            opt.zeroGrad();
            if (device != null) device.finish();
            if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[steps / 2];
    }
}
