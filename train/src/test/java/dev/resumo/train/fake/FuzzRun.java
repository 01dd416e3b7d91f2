package dev.resumo.train.fake;

import dev.resumo.train.EngineOptimizer;
import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import dev.resumo.train.Trainer;
import dev.resumo.train.TrainingSetup;
import dev.resumo.train.batch.LengthGroupedBatches;
import dev.resumo.train.batch.TokenizedExample;
import dev.resumo.train.eval.Evaluator;
import dev.resumo.train.eval.SummaryGenerator;
import dev.resumo.train.progress.Progress;
import dev.resumo.train.run.ModelCard;
import dev.resumo.train.run.RunDirectory;
import dev.resumo.train.track.LocalTracker;
import dev.resumo.train.track.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The bag-of-words run of {@link FakeRun} with what the resume fuzz varies beyond the settings: the
 * engine's real optimizers (--optimizer adafactor | adamw, --weight-decay, their saved step counters)
 * instead of {@link TestAdam}, a training set of any size (a last short batch, epochs of any length),
 * and a stop requested after a chosen step, as Ctrl-C does (the trainer honours it after that step's
 * evaluation and checkpoint).
 */
public final class FuzzRun {
    private FuzzRun() {}

    /**
     * Trains on {@code trainExamples} synthetic examples (sources of 4-14 ids: length-grouped batches
     * differ in length); {@code stopAfterStep} ≥ 1 requests a stop once that step is done.
     */
    public static TrainResult run(TrainConfig c, int trainExamples, long stopAfterStep, long stepDelayMillis,
                                  Function<Path, Tracker> trackerFor, Consumer<String> warn) throws IOException {
        BagOfWordsModel model = new BagOfWordsModel(c.seed(), stepDelayMillis, -1);
        List<TokenizedExample> train = FakeRun.data(trainExamples, 1);
        List<TokenizedExample> eval = FakeRun.data(8, 2);
        SummaryGenerator generator = texts -> texts.stream()
                .map(t -> FakeRun.render(model.generate(Arrays.stream(t.split(" ")).mapToInt(Integer::parseInt).toArray(), c.maxNewTokens())))
                .toList();
        Evaluator evaluator = new Evaluator(LengthGroupedBatches.evalBatches(eval, c.evalBatchSize()),
                eval.stream().map(e -> FakeRun.render(e.source())).toList(), eval.stream().map(e -> FakeRun.render(e.target())).toList(),
                generator, FakeRun::unigramF1);
        StopSignal stop = StopSignal.manual();
        Progress progress = StopAfterStep.progress(stop, stopAfterStep);
        // The file model/ gets as its tokenizer, beside the run (not in /tmp: a killed run leaves it).
        Path beside = Files.createDirectories(Path.of(c.outputDir()).toAbsolutePath().getParent());
        Path spiece = Files.createTempFile(beside, "fuzz-spiece", ".model");
        try {
            Files.writeString(spiece, "not a real sentencepiece model");
            RunDirectory dir = new RunDirectory(Path.of(c.outputDir()));
            TrainingSetup setup = new TrainingSetup(c, model, EngineOptimizer.create(c, model.parameters()), train, evaluator, dir,
                    trackerFor.apply(dir.root()), progress, stop, spiece,
                    new ModelCard.Data("synthetic ids", train.size(), eval.size(), 0, "", Map.of()), warn);
            return new Trainer(setup).run();
        } finally {
            Files.deleteIfExists(spiece);
        }
    }

    /** The same, reporting to the run's own metrics.jsonl. */
    public static TrainResult run(TrainConfig c, int trainExamples, long stopAfterStep) throws IOException {
        return run(c, trainExamples, stopAfterStep, 0, LocalTracker::new, w -> {});
    }

    /**
     * Entry point for the kill -9 cases: {@code FuzzRun RUN_DIR TRAIN_EXAMPLES STEP_DELAY_MS [flag=value ...]}
     * (the delay is per micro-batch, so most of the time is spent inside a gradient-accumulation cycle).
     */
    public static void main(String[] args) throws Exception {
        Map<String, Object> overrides = new java.util.HashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            overrides.put(kv[0], kv[1]);
        }
        TrainResult r = run(FakeRun.config(Path.of(args[0]), overrides), Integer.parseInt(args[1]), -1, Long.parseLong(args[2]),
                LocalTracker::new, w -> System.err.println("warning: " + w));
        System.out.println("status " + r.status() + " step " + r.steps());
        System.exit(0);
    }
}
