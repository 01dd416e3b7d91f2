package dev.resumo.cli;

import dev.resumo.train.ConfigException;
import dev.resumo.train.NonFiniteLossException;
import dev.resumo.train.RunStorageException;
import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import dev.resumo.train.TrainingJob;
import dev.resumo.train.data.Example;
import dev.resumo.train.demo.Demo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** `resumo demo`: the whole fine-tuning job offline on the embedded defaults, then a report. */
final class DemoCommand implements Subcommand {
    static final long DEFAULT_STEPS = 320;
    /**
     * The demo's model is a 1.1M-parameter T5 trained from random weights for half a minute: on a fresh
     * clone it scored ROUGE-L 0.18 against Lead-3's 0.44 and gave every text the same odd sentence, with
     * nothing saying that this is what it is for.
     */
    static final String WHAT_TO_EXPECT = "the demo shows the whole job (training, evaluation, checkpoints, export) on a tiny model"
            + " trained from scratch for half a minute: Lead-3 beats it and its summaries read oddly. For real summaries,"
            + " fine-tune PTT5 on your data (README.md, \"Fine-tune on your data\").";

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "offline demo: train a small T5 on the embedded corpus, evaluate ROUGE against Lead-3, write a run directory";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(SummarizeCommand.opt("output-dir", "DIR", "run directory, new or empty (default: runs/demo-<timestamp>)"));
        o.addOption(SummarizeCommand.opt("max-steps", "N", "optimizer steps, ≥ 1 (default: " + DEFAULT_STEPS + ")"));
        o.addOption(SummarizeCommand.opt("threads", "N", "compute threads; 0 = all cores; at most " + TrainConfig.MAX_THREADS + " (default: 0)"));
        o.addOption(SummarizeCommand.opt("seed", "N", "seed of the initialisation, shuffling and dropout (default: 42)"));
        TrackingFlags.add(o, "demo");
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        String outputDir = line.hasOption("output-dir") ? line.getOptionValue("output-dir")
                : RunDirGuard.unusedDefault(Path.of("runs", "demo-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toAbsolutePath()).toString();
        // The demo unpacks its model and corpus into the run directory, so it has no outside inputs to protect.
        RunDirGuard.check(outputDir, RunDirGuard.Command.DEMO, false, List.of());
        long maxSteps = FlagValues.longValue(line, "max-steps", DEFAULT_STEPS);
        // 0 is "run all epochs" for train; the demo has 1000 epochs (a stand-in for "until --max-steps"), so 0 would run for hours.
        if (maxSteps < 1) throw new UserError("--max-steps must be ≥ 1, got " + maxSteps);
        TrainConfig config;
        try {
            config = Demo.config(Path.of(outputDir).toAbsolutePath(), maxSteps,
                    FlagValues.intValue(line, "threads", 0, 0), FlagValues.longValue(line, "seed", 42))
                    .with(TrackingFlags.overrides(line));
        } catch (ConfigException e) {
            throw new UserError(e.getMessage());
        }
        long start = System.nanoTime();
        TrainingJob.Outcome outcome;
        String signal;
        // The demo has no --resume (it always starts a new run): its stop messages say to run it again.
        try (StopSignal stop = StopSignal.install().continuedBy(StopSignal.Continuation.RUN_AGAIN)) {
            TrainCommand.stopWhenReaderGone(out, stop);
            outcome = Demo.run(config, stop, out, w -> err.println("warning: " + w));
            signal = stop.requested();
        } catch (ConfigException e) {
            throw new UserError(e.getMessage());
        } catch (NonFiniteLossException e) {
            err.println("resumo demo: " + e.getMessage());
            return 1;
        } catch (RunStorageException e) {
            err.println("resumo demo: " + e.getMessage() + "; run the demo again into a new --output-dir once that is fixed");
            return 1;
        }
        // The demo builds its model inside the job: no separate start-up time.
        TrainReport.print(outcome, Double.NaN, (System.nanoTime() - start) / 1e9, StopSignal.Continuation.RUN_AGAIN, out);
        if (outcome.result().status().equals("FINISHED")) out.println(WHAT_TO_EXPECT);
        if (outcome.result().status().equals("INTERRUPTED")) {
            // Same convention as train: a stopped demo is not a success for a script.
            err.println(TrainCommand.interruptedLine("demo", signal, outcome.result().steps())
                    + StopSignal.Continuation.RUN_AGAIN.afterCheckpoint());
            return TrainCommand.interruptedExitCode(signal);
        }
        return 0;
    }
}
