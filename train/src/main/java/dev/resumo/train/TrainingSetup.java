package dev.resumo.train;

import dev.resumo.train.batch.TokenizedExample;
import dev.resumo.train.eval.Evaluator;
import dev.resumo.train.progress.Progress;
import dev.resumo.train.run.ModelCard;
import dev.resumo.train.run.RunDirectory;
import dev.resumo.train.track.Tracker;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything a {@link Trainer} works with, built by the command (or a test) before training starts.
 *
 * @param spieceModel tokenizer file copied into model/ (null when there is none, e.g. tests)
 * @param card what the model card says about the data
 * @param warn where warnings go (stderr for the CLI)
 * @param times where the run's phases add their wall time (the job's setup is already in it)
 */
public record TrainingSetup(
        TrainConfig config,
        Seq2SeqModel model,
        ParameterOptimizer optimizer,
        List<TokenizedExample> trainExamples,
        Evaluator evaluator,
        RunDirectory runDir,
        Tracker tracker,
        Progress progress,
        StopSignal stop,
        Path spieceModel,
        ModelCard.Data card,
        Consumer<String> warn,
        PhaseTimes times) {
    /** A setup whose phase times start from zero (tests, callers that do not report them). */
    public TrainingSetup(TrainConfig config, Seq2SeqModel model, ParameterOptimizer optimizer, List<TokenizedExample> trainExamples,
                         Evaluator evaluator, RunDirectory runDir, Tracker tracker, Progress progress, StopSignal stop,
                         Path spieceModel, ModelCard.Data card, Consumer<String> warn) {
        this(config, model, optimizer, trainExamples, evaluator, runDir, tracker, progress, stop, spieceModel, card, warn,
                new PhaseTimes());
    }
}
