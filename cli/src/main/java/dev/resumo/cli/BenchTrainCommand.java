package dev.resumo.cli;

import dev.resumo.bench.T5Shapes;
import dev.resumo.bench.TrainThroughput;
import dev.resumo.engine.cpu.Workers;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** `resumo bench train`: Resumo's training throughput (examples/s) at a named T5 shape on random batches. */
final class BenchTrainCommand implements Subcommand {
    @Override
    public String name() {
        return "bench train";
    }

    @Override
    public String summary() {
        return "training throughput (examples/s) of the Trainer's step at the tiny, PTT5-small or PTT5-base shape";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("shape").hasArg().argName(String.join("|", T5Shapes.NAMES))
                .desc("model shape: tiny (golden tests, d_model 32), small (PTT5-small), base (PTT5-base) (default: small)").get());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("N").desc("timed optimizer steps (default: 5)").get());
        o.addOption(Option.builder().longOpt("warmup").hasArg().argName("N").desc("untimed steps first; HotSpot is still compiling the step during the first two or three (default: 3)").get());
        o.addOption(Option.builder().longOpt("batch-size").hasArg().argName("N").desc("examples per step; at most " + BenchFlags.MAX_BATCH + " (default: 8)").get());
        o.addOption(Option.builder().longOpt("source-length").hasArg().argName("N").desc("source tokens per example; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 256)").get());
        o.addOption(Option.builder().longOpt("target-length").hasArg().argName("N").desc("target tokens per example; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 64)").get());
        o.addOption(Option.builder().longOpt("varied-lengths")
                .desc("batches of random lengths up to --source-length/--target-length, grouped and padded as `resumo train` does"
                        + " (nearly every step a new shape) (default: off, every batch full length)").get());
        o.addOption(Option.builder().longOpt("gradient-checkpointing")
                .desc("recompute each layer in the backward, as `resumo train --gradient-checkpointing` (default: off)").get());
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("worker threads; at most " + dev.resumo.train.TrainConfig.MAX_THREADS + " (default: available processors, " + Runtime.getRuntime().availableProcessors() + " here)").get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        String shape = line.getOptionValue("shape", "small");
        if (!T5Shapes.NAMES.contains(shape)) {
            throw new UserError("--shape " + shape + ": must be one of " + String.join(", ", T5Shapes.NAMES));
        }
        // Every bound before any thread or tensor exists.
        TrainThroughput.Settings settings = new TrainThroughput.Settings(shape,
                BenchFlags.batch(line, "batch-size", 8),
                SequenceLengthFlags.tokens(line, "source-length", 256, 2),
                SequenceLengthFlags.tokens(line, "target-length", 64, 1),
                FlagValues.intValue(line, "steps", 5, 1),
                FlagValues.intValue(line, "warmup", 3, 0),
                line.hasOption("varied-lengths"),
                line.hasOption("gradient-checkpointing"));
        if (line.hasOption("threads")) Workers.setThreads(BenchFlags.threads(line));
        TrainThroughput.run(settings, out);
        return 0;
    }
}
