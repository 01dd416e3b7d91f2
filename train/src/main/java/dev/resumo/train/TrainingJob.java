package dev.resumo.train;

import dev.resumo.engine.cpu.Workers;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Model;
import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.train.batch.LengthGroupedBatches;
import dev.resumo.train.batch.TokenizedExample;
import dev.resumo.train.batch.Tokenization;
import dev.resumo.train.data.Columns;
import dev.resumo.train.data.Dataset;
import dev.resumo.train.data.DatasetOptions;
import dev.resumo.train.data.DatasetFiles;
import dev.resumo.train.data.HubDatasets;
import dev.resumo.train.data.Example;
import dev.resumo.train.eval.Evaluator;
import dev.resumo.train.eval.RougeSummaryScorer;
import dev.resumo.train.progress.Progress;
import dev.resumo.train.rouge.LeadBaseline;
import dev.resumo.train.rouge.SentenceSplitter;
import dev.resumo.train.run.ModelCard;
import dev.resumo.train.run.RunDirectory;
import dev.resumo.train.run.RunLock;
import dev.resumo.train.t5.T5SummaryGenerator;
import dev.resumo.train.t5.T5TrainableModel;
import dev.resumo.train.track.Tracker;
import dev.resumo.train.track.Trackers;
import dev.resumo.train.track.mlflow.MlflowSettings;
import dev.resumo.train.track.mlflow.RunContext;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A whole fine-tuning job from a resolved config: dataset → token ids → T5 + optimizer →
 * {@link Trainer} → model/ with its card. `resumo train` and `resumo demo` both end up here.
 */
public final class TrainingJob {
    /** What the job produced, for the command to report. */
    public record Outcome(TrainResult result, RunDirectory runDir, List<Example> evalExamples, List<String> predictions,
                          Map<String, Double> lead3) {}

    private TrainingJob() {}

    /**
     * @param model the model to fine-tune (loaded, or randomly initialised for the demo)
     * @param spieceModel its SentencePiece model (copied into model/)
     * @param datasetDescription how the model card names the data
     */
    public static Outcome run(TrainConfig c, T5Model model, Path spieceModel, String datasetDescription, StopSignal stop,
                              PrintStream out, Consumer<String> warn) throws IOException {
        return run(c, model, spieceModel, null, null, datasetDescription, stop, out, warn);
    }

    /**
     * As above, with {@code spieceModel} already read into {@code tokenizer} by the caller (null: read
     * here) and {@code c.dataset()} already resolved into {@code dataset} (null: resolved here, notes to {@code out}).
     */
    public static Outcome run(TrainConfig c, T5Model model, Path spieceModel, T5Tokenizer tokenizer, DatasetFiles dataset,
                              String datasetDescription, StopSignal stop, PrintStream out, Consumer<String> warn) throws IOException {
        if (c.outputDir() == null) throw new ConfigException("--output-dir is required");
        if (c.dataset() == null) throw new ConfigException("--dataset is required");
        if (c.threads() > 0) Workers.setThreads(c.threads());
        RunDirectory runDir = new RunDirectory(Path.of(c.outputDir()));
        try (RunLock lock = RunLock.acquire(runDir.root())) {
            return run(c, runDir, model, spieceModel, tokenizer, dataset, datasetDescription, stop, out, warn);
        }
    }

    private static Outcome run(TrainConfig c, RunDirectory runDir, T5Model model, Path spieceModel, T5Tokenizer given,
                               DatasetFiles dataset, String datasetDescription, StopSignal stop, PrintStream out, Consumer<String> warn) throws IOException {
        PhaseTimes times = new PhaseTimes();
        long setupStart = System.nanoTime();
        // Nothing is created or written in the run directory until --resume is known to point at a
        // usable checkpoint and the data has every split it needs: a run that fails on its inputs
        // leaves no files behind that would block reusing --output-dir (or alter an existing run).
        ResumePoint.locate(c, runDir.root(), w -> {});

        // A local path, or a hub dataset id fetched through HF_ENDPOINT / HF_TOKEN into the cache.
        DatasetFiles files = dataset != null ? dataset : HubDatasets.resolve(c.dataset(), out);
        Dataset data = files.load(DatasetOptions.DEFAULT
                .withColumns(Columns.DEFAULT.withText(c.textColumn()).withSummary(c.summaryColumn()))
                .withStrict(c.strict()));
        out.println("dataset: " + data.report().summary());
        if (data.train().isEmpty()) throw new ConfigException("--dataset " + c.dataset() + " has no training examples");
        if (data.validation().isEmpty()) throw new ConfigException("--dataset " + c.dataset() + " has no validation examples");
        runDir.stageRejected(data.report().rejected().stream().map(TrainingJob::rejectedRow).toList());

        T5Tokenizer tokenizer = given != null ? given : T5Tokenizer.load(spieceModel);
        Tokenization.Encoder encoder = text -> tokenizer.encode(text, true);
        List<TokenizedExample> train = Tokenization.tokenize(pairs(data.train()), encoder, c.prefix(), c.maxSourceLength(), c.maxTargetLength());
        List<TokenizedExample> eval = Tokenization.tokenize(pairs(data.validation()), encoder, c.prefix(), c.maxSourceLength(), c.maxTargetLength());

        List<Example> generated = c.evalMaxExamples() > 0 && c.evalMaxExamples() < data.validation().size()
                ? data.validation().subList(0, c.evalMaxExamples()) : data.validation();
        List<String> texts = generated.stream().map(Example::text).toList();
        List<String> refs = generated.stream().map(Example::summary).toList();
        T5SummaryGenerator generator = new T5SummaryGenerator(new Summarizer(tokenizer, model,
                T5SummaryGenerator.generationOf(c), c.prefix(), c.maxSourceLength(), c.evalBatchSize()));
        RougeSummaryScorer scorer = new RougeSummaryScorer();
        Evaluator evaluator = new Evaluator(LengthGroupedBatches.evalBatches(eval, c.evalBatchSize()), texts, refs, generator, scorer);

        LeadBaseline lead3 = new LeadBaseline(3, new SentenceSplitter());
        Map<String, Double> leadScores = scorer.score(texts.stream().map(lead3::summarize).toList(), refs);

        model.gradientCheckpointing(c.gradientCheckpointing());
        T5TrainableModel trainable = new T5TrainableModel(model, (float) c.labelSmoothing());
        Map<String, String> env = System.getenv();
        Tracker tracker = Trackers.open(c, runDir.root(),
                MlflowSettings.resolve(c.trackingUri(), c.experimentName(), c.runName(), c.registerModel(), env),
                RunContext.current(Workers.threads()), env, out::println, warn);
        int rejected = data.report().rejected().size();
        ModelCard.Data card = new ModelCard.Data(datasetDescription, train.size(), eval.size(), rejected, "Lead-3", leadScores);
        TrainingSetup setup = new TrainingSetup(c, trainable, EngineOptimizer.create(c, trainable.parameters()), train, evaluator,
                runDir, tracker, Progress.forStream(out, c.logSteps()), stop, spieceModel, card, warn, times);
        times.add(PhaseTimes.Phase.SETUP, setupStart);
        TrainResult result = new Trainer(setup).run();
        return new Outcome(result, runDir, generated, evaluator.lastPredictions(), leadScores);
    }

    private static Map<String, Object> rejectedRow(dev.resumo.train.data.Rejection r) {
        Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("file", r.file());
        o.put("line", r.line());
        o.put("reason", r.reason().label());
        if (r.id() != null) o.put("id", r.id());
        o.put("detail", r.detail() == null ? "" : r.detail());
        return o;
    }

    private static List<Tokenization.TextPair> pairs(List<Example> examples) {
        return examples.stream().map(e -> new Tokenization.TextPair(e.id(), e.text(), e.summary())).toList();
    }
}
