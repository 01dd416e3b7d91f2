package dev.resumo.train;

import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.train.batch.BatchPlan;
import dev.resumo.train.batch.LengthGroupedBatches;
import dev.resumo.train.batch.TokenBatch;
import dev.resumo.train.checkpoint.CheckpointStore;
import dev.resumo.train.checkpoint.DataFingerprint;
import dev.resumo.train.checkpoint.Durable;
import dev.resumo.train.checkpoint.DamagedCheckpointException;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.optim.GradClip;
import dev.resumo.engine.optim.LrSchedule;
import dev.resumo.train.checkpoint.TrainerState;
import dev.resumo.train.PhaseTimes.Phase;
import dev.resumo.train.run.ModelCard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop, read top to bottom as the data flow: batches of the epoch's plan → forward and
 * backward (gradient accumulation) → clip → optimizer step → metrics → maybeEvaluate →
 * maybeCheckpoint. Everything random comes from one saved generator and the (seed, epoch)
 * shuffle, so a run resumed from a checkpoint ends with the same bytes as one never interrupted.
 *
 * <p>The step's arithmetic is that of transformers 5.24's Seq2SeqTrainer with a T5 model (checked
 * by TrainerParityTest against a recorded run): each micro-batch's mean token loss is
 * back-propagated unscaled, so the step's gradient is the sum over its micro-batches (T5's forward
 * takes **kwargs, so the Trainer passes num_items_in_batch and skips its 1/grad-accum scaling, but
 * T5's loss ignores it: transformers issue #37766); the step's loss is that sum too, and the
 * logged "loss" is its mean over the steps since the last log. With --label-smoothing the
 * Trainer's LabelSmoother computes the loss instead and does use num_items_in_batch: each
 * micro-batch's summed token loss is divided by the step's counted target tokens, so the step's
 * loss and gradient are the token-weighted mean over its micro-batches (also checked by
 * TrainerParityTest). Then the gradient norm over all
 * parameters is measured and clipped, the optimizer steps with lr(step) (0 on the first step of a
 * warmup), and the schedule moves on.
 */
public final class Trainer {
    private static final com.fasterxml.jackson.databind.ObjectMapper CONFIG_JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    private final TrainingSetup s;
    private final TrainConfig c;
    private final List<Parameter> params;
    private final List<Tensor> grads;
    private final BatchPlan batches;
    private final CheckpointStore store;
    private final long totalSteps;
    private final LrSchedule schedule;
    private final Xoshiro256Random dropoutRng;
    /** The training examples' {@link DataFingerprint}, saved with every checkpoint. */
    private final String trainData;
    private final PhaseTimes times;
    /** Micro-batches weighted by their share of the step's target tokens (label smoothing; see above), else by 1. */
    private final boolean tokenWeighted;
    /** The current step's micro-batches, built before the first backward (their tokens set the weights). */
    private final List<TokenBatch> stepBatches = new ArrayList<>();

    // Position and bookkeeping (all of it goes into TrainerState).
    private long step;
    private int epoch;
    private int batchInEpoch;
    private Double bestValue;
    private String bestCheckpoint;
    private Map<String, Double> bestMetrics = Map.of();
    private int evalsWithoutImprovement;
    private long examplesSeen;
    private long targetTokensSeen;
    /** Step losses summed since the last logged "loss", and how many steps that is (logged as their mean). */
    private double lossSinceLog;
    private long stepsSinceLog;

    private double firstEvalLoss = Double.NaN;
    private double lastEvalLoss = Double.NaN;
    private long lastEvaluatedStep = -1;
    private long lastSavedStep = -1;
    private Path lastCheckpoint;

    /** Training batches grouped by length in a seeded shuffle ({@link LengthGroupedBatches}). */
    public Trainer(TrainingSetup setup) {
        this(setup, new LengthGroupedBatches(setup.trainExamples(), setup.config().batchSize(), setup.config().seed()));
    }

    /** Training batches in the given plan's order (e.g. a fixed order to compare with another trainer). */
    public Trainer(TrainingSetup setup, BatchPlan batches) {
        this.s = setup;
        this.c = setup.config();
        this.params = setup.model().parameters();
        this.tokenWeighted = setup.model().labelSmoothing() > 0f;
        // The model computes the loss, the config is what config.json, the card and MLflow record: a
        // model built without the run's --label-smoothing would train on another loss than recorded.
        if (setup.model().labelSmoothing() != (float) c.labelSmoothing()) {
            throw new IllegalStateException("--label-smoothing " + c.labelSmoothing() + " but the model's loss uses "
                    + setup.model().labelSmoothing());
        }
        this.grads = params.stream().map(Parameter::grad).toList();
        this.batches = batches;
        this.store = new CheckpointStore(setup.runDir().checkpoints(), setup.warn());
        this.totalSteps = totalSteps(c, batches.batchesPerEpoch());
        this.schedule = Schedules.of(c.schedule(), c.lr(), c.warmupSteps(), totalSteps);
        this.dropoutRng = new Xoshiro256Random(c.seed());
        this.trainData = DataFingerprint.of(setup.trainExamples());
        this.times = setup.times();
    }

    /** Optimizer steps the run will take: --max-steps, or every epoch with ⌈batches / grad-accum⌉ steps each. */
    public static long totalSteps(TrainConfig c, int batchesPerEpoch) {
        if (c.maxSteps() > 0) return c.maxSteps();
        return (long) c.epochs() * ((batchesPerEpoch + (long) c.gradAccum() - 1) / c.gradAccum()); // long: --grad-accum 2147483647 overflowed
    }

    public TrainResult run() throws IOException {
        long setupStart = System.nanoTime();
        if (c.warmupSteps() > 0 && c.warmupSteps() >= totalSteps) {
            // Legal (a deliberate short run), but the peak --lr is never used: worth a word, not a refusal.
            s.warn().accept("--warmup-steps " + c.warmupSteps() + " ≥ the run's " + totalSteps + " steps: the learning rate never "
                    + "reaches the peak --lr " + c.lr() + " (at most " + String.format("%.3g", schedule.lr(totalSteps - 1)) + ")");
        }
        boolean resumed = maybeResume();
        // config.json is written only now, after the checkpoint loaded and the optimizer accepted its
        // state: a resume that fails leaves the run's files as they were. It then holds the settings in
        // force from here on (those the model/ and the model card come from); the settings of earlier
        // segments stay in each checkpoint's own config.json, and settings the resume did not give
        // were taken from the checkpoint (TrainFlags), so the file only differs where the user asked.
        try {
            // A process killed with -9 (no shutdown hooks) leaves its temporary files; this one holds
            // the run's lock, so no other training is writing them: they are a dead process's.
            s.runDir().deleteLeftovers();
            store.deleteLeftovers();
            s.runDir().create(c);
            s.progress().message("resolved configuration:\n" + CONFIG_JSON.writeValueAsString(c.toMap()));
            if (resumed) {
                s.runDir().trimMetricsAfter(step);
                // The run's first evaluation (step 0) is in metrics.jsonl, not in this process.
                firstEvalLoss = s.runDir().firstEvalLoss().orElse(Double.NaN);
            } else {
                // A fresh start in a run killed before its first checkpoint (--resume auto found none):
                // the steps that run logged are taken again from step 0, so its lines go, or every
                // one of them would be in metrics.jsonl twice.
                s.runDir().trimMetricsAfter(-1);
            }
            s.tracker().start(c.toMap());
        } catch (IOException | UncheckedIOException e) {
            throw RunStorageException.of(e, step, lastCheckpoint);
        }
        times.add(Phase.SETUP, setupStart);
        try {
            TrainResult r = train(resumed);
            long end = System.nanoTime();
            endTracker(r.status(), null);
            times.add(Phase.RUN_FILES, end);
            return withTimes(r);
        } catch (RuntimeException | IOException | Error e) {
            boolean storage = e instanceof IOException || e instanceof UncheckedIOException;
            String reason = storage ? RunStorageException.describe(e) : e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            try {
                endTracker("FAILED", reason);
            } catch (IOException | RuntimeException recordFailed) {
                // Recording the failure can fail for the same reason (run.json on the same full disk):
                // the first error is the one to report, this one rides along.
                e.addSuppressed(recordFailed);
            }
            if (storage) throw RunStorageException.of(e, step, lastCheckpoint);
            throw e;
        }
    }

    /**
     * Ends the trackers. Only waiting is left at this point (an MLflow server taking the last
     * metrics), so a Ctrl-C now cuts that wait short instead of stopping a run that is already done.
     */
    private void endTracker(String status, String reason) throws IOException {
        s.stop().whileOnlyWaiting(s.tracker()::stopWaiting);
        try {
            if (reason == null) s.tracker().end(status);
            else s.tracker().end(status, reason);
        } finally {
            s.stop().whileOnlyWaiting(null);
        }
    }

    private TrainResult train(boolean resumed) throws IOException {
        if (!resumed) evaluateInitialLoss();
        long startNanos = System.nanoTime();
        long startStep = step, startExamples = examplesSeen, startTokens = 0;
        long tokensThisRun = 0;
        String status = "FINISHED";
        List<int[]> plan = batches.plan(epoch);
        if (resumed && stoppedEarlyAlready()) {
            // The checkpoint is the one an early stop wrote (killed during the export that followed):
            // the run is over, and training on would give a model an uninterrupted run never made.
            status = "EARLY_STOPPED";
            s.progress().message("early stopping: " + c.bestMetric() + " had not improved in " + c.patience()
                    + " evaluations when " + CheckpointStore.name(step) + " was written");
        }

        while (step < totalSteps && status.equals("FINISHED")) {
            if (batchInEpoch >= plan.size()) {
                epoch++;
                batchInEpoch = 0;
                plan = batches.plan(epoch);
            }
            long stepStart = System.nanoTime();
            TrainerState before = state();
            for (Parameter p : params) p.zeroGrad();
            // Accumulation never crosses an epoch's end: its last step may have fewer micro-batches.
            int micro = Math.min(c.gradAccum(), plan.size() - batchInEpoch);
            stepBatches.clear();
            long stepTargetTokens = 0;
            for (int m = 0; m < micro; m++) {
                TokenBatch batch = batches.batch(plan.get(batchInEpoch + m));
                stepBatches.add(batch);
                stepTargetTokens += batch.targetTokens();
            }
            double loss = 0;
            for (TokenBatch batch : stepBatches) {
                // Weight 1, not 1/micro: transformers' Trainer does not scale a T5 micro-batch's loss;
                // with label smoothing its share of the step's counted tokens (see above).
                float weight = tokenWeighted ? (float) ((double) batch.targetTokens() / stepTargetTokens) : 1f;
                float l = s.model().accumulateGradients(batch, dropoutRng, weight);
                if (!Float.isFinite(l)) stopOnNonFinite("loss", l, before);
                loss += tokenWeighted ? (double) l * weight : l;
                batchInEpoch++;
                examplesSeen += batch.batchSize();
                targetTokensSeen += batch.targetTokens();
                tokensThisRun += batch.sourceTokens() + batch.targetTokens();
            }
            // Infinity: measure the norm without clipping (--max-grad-norm 0).
            double gradNorm = GradClip.clipByGlobalNorm(grads, c.maxGradNorm() > 0 ? c.maxGradNorm() : Double.POSITIVE_INFINITY);
            if (!Double.isFinite(gradNorm)) stopOnNonFinite("gradient norm", gradNorm, before);
            double lr = schedule.lr(step);
            s.optimizer().step(params, lr);
            step++;
            long logStart = times.add(Phase.STEPS, stepStart);
            lossSinceLog += loss;
            stepsSinceLog++;
            double loggedLoss = lossSinceLog / stepsSinceLog;

            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double tokensPerSecond = tokensThisRun / seconds;
            double secondsLeft = seconds / (step - startStep) * (totalSteps - step);
            s.progress().step(step, totalSteps, loggedLoss, lr, tokensPerSecond, secondsLeft);
            if (step % c.logSteps() == 0 || step == totalSteps) {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("loss", loggedLoss);
                m.put("lr", lr);
                m.put("grad_norm", gradNorm);
                m.put("epoch", epoch + (double) batchInEpoch / plan.size());
                m.put("tokens_per_second", tokensPerSecond);
                m.put("examples_per_second", (examplesSeen - startExamples) / seconds);
                s.tracker().metrics(step, m);
                lossSinceLog = 0;
                stepsSinceLog = 0;
            }
            times.add(Phase.RUN_FILES, logStart);

            boolean stopEarly = maybeEvaluate();
            maybeCheckpoint(false);
            if (s.stop().requested() != null) {
                maybeCheckpoint(true);
                s.progress().message("stopped by " + s.stop().requested() + " at step " + step + "; checkpoint "
                        + lastCheckpoint + " (" + s.stop().continuation().afterCheckpoint() + ")");
                return result("INTERRUPTED", startNanos, startExamples, tokensThisRun);
            }
            if (stopEarly) {
                status = "EARLY_STOPPED";
                s.progress().message("early stopping: " + c.bestMetric() + " did not improve in " + c.patience() + " evaluations");
                break;
            }
        }
        if (lastEvaluatedStep != step) evaluate();
        maybeCheckpoint(true);
        TrainResult r = result(status, startNanos, startExamples, tokensThisRun);
        long exportStart = System.nanoTime();
        exportBestModel(r);
        times.add(Phase.MODEL_EXPORT, exportStart);
        return r;
    }

    private TrainResult result(String status, long startNanos, long startExamples, long tokens) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new TrainResult(status, step, lastCheckpoint, bestCheckpoint, bestMetrics, firstEvalLoss, lastEvalLoss,
                seconds, (examplesSeen - startExamples) / seconds, tokens / seconds, times.seconds());
    }

    /** The result with the phase times as they stand now (after the model export and the trackers' end). */
    private TrainResult withTimes(TrainResult r) {
        return new TrainResult(r.status(), r.steps(), r.lastCheckpoint(), r.bestCheckpoint(), r.bestMetrics(), r.firstEvalLoss(),
                r.lastEvalLoss(), r.seconds(), r.examplesPerSecond(), r.tokensPerSecond(), times.seconds());
    }

    // ---- evaluation and early stopping ----

    private void evaluateInitialLoss() throws IOException {
        long start = System.nanoTime();
        firstEvalLoss = s.evaluator().loss(s.model());
        times.add(Phase.EVAL_LOSS, start);
        lastEvalLoss = firstEvalLoss;
        s.tracker().metrics(0, Map.of("eval_loss", firstEvalLoss));
        s.progress().message(String.format("step 0: eval_loss %.4f", firstEvalLoss));
    }

    /**
     * Evaluates every --eval-steps and at the last step; returns true when early stopping says to
     * stop (at an --eval-steps evaluation before the last step). The last step is evaluated here,
     * before its checkpoint, not after the loop: every checkpoint is then written after its step's
     * evaluation and records it (best, patience, {@link TrainerState#lastEvaluatedStep}), so a run
     * killed during the final export resumes without evaluating, and logging, that step again.
     */
    private boolean maybeEvaluate() throws IOException {
        boolean scheduled = step % c.evalSteps() == 0;
        if (!scheduled && step != totalSteps) return false;
        evaluate();
        // Patience running out at the last step stops nothing: the run has taken all its steps and is
        // FINISHED. Reported as EARLY_STOPPED, it ended FINISHED when stopped (Ctrl-C, kill -9 in the
        // export) right there and resumed, which cannot tell the two apart (stoppedEarlyAlready).
        return scheduled && step < totalSteps && c.patience() > 0 && evalsWithoutImprovement >= c.patience();
    }

    /** The resumed checkpoint was written by an early stop: its step was evaluated and patience ran out there. */
    private boolean stoppedEarlyAlready() {
        return c.patience() > 0 && lastEvaluatedStep == step && evalsWithoutImprovement >= c.patience() && step < totalSteps;
    }

    private void evaluate() throws IOException {
        Map<String, Double> m = s.evaluator().evaluate(s.model(), true, times);
        lastEvaluatedStep = step;
        lastEvalLoss = m.get("eval_loss");
        if (Double.isNaN(firstEvalLoss)) firstEvalLoss = lastEvalLoss;
        s.tracker().metrics(step, m);
        StringBuilder line = new StringBuilder("step " + step + ":");
        m.forEach((k, v) -> line.append(String.format(" %s %.4f", k, v)));
        Double value = m.get(c.bestMetric());
        if (value == null) {
            throw new ConfigException("--best-metric " + c.bestMetric() + " is not measured by this evaluation (it measures "
                    + m.keySet() + "); ROUGE needs generation");
        }
        boolean better = bestValue == null || (c.bestMetricIsMaximised() ? value > bestValue : value < bestValue);
        if (better) {
            bestValue = value;
            bestMetrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
            bestCheckpoint = CheckpointStore.name(step);
            evalsWithoutImprovement = 0;
            line.append("  (best so far)");
            // The final model is the best one: its summaries and ROUGE figures go with it (and to the tracker at the end).
            // Written before its checkpoint: killed in between, the run resumes from an earlier
            // checkpoint and writes them again at this step; the other way round it resumed from this
            // one with the previous best's evaluation.json, never rewritten when no later step did better.
            long start = System.nanoTime();
            s.runDir().writeEvaluation(step, s.evaluator().texts(), s.evaluator().references(),
                    s.evaluator().lastPredictions(), m);
            times.add(Phase.RUN_FILES, start);
            maybeCheckpoint(true); // the best model must exist as a checkpoint
        } else {
            evalsWithoutImprovement++;
        }
        s.progress().message(line.toString());
    }

    // ---- checkpoints and resume ----

    private void maybeCheckpoint(boolean force) throws IOException {
        if (lastSavedStep == step) return;
        if (!force && step % c.saveSteps() != 0) return;
        long start = System.nanoTime();
        lastCheckpoint = store.save(params, s.optimizer().state(), state(), c.toMap());
        lastSavedStep = step;
        store.prune(c.keepCheckpoints(), bestCheckpoint);
        times.add(Phase.CHECKPOINTS, start);
    }

    private TrainerState state() {
        return new TrainerState(step, epoch, batchInEpoch, dropoutRng.state(), bestValue, bestCheckpoint,
                evalsWithoutImprovement, examplesSeen, targetTokensSeen, trainData, lossSinceLog, stepsSinceLog,
                TrainerState.SUMMED_MICRO_BATCHES, bestMetrics, lastEvaluatedStep);
    }

    /** Saves the state from before the failing step (weights untouched: no update was applied) and stops. */
    private void stopOnNonFinite(String what, double value, TrainerState before) throws IOException {
        long failing = before.step() + 1;
        Path saved = store.save(params, s.optimizer().state(), before, c.toMap());
        throw new NonFiniteLossException(what + " is " + value + " at step " + failing + " (epoch " + before.epoch()
                + ", batch " + before.batchInEpoch() + "); stopped; the last good checkpoint is " + saved
                + " (try a lower --lr or --max-grad-norm)", failing);
    }

    /** Applies --resume (see ResumePoint): restores weights, optimizer and position; false = a fresh start. */
    private boolean maybeResume() throws IOException {
        Path from = ResumePoint.locate(c, s.runDir().root(), s.warn());
        if (from == null) {
            if (c.resume() != null) s.progress().message("--resume auto: no complete checkpoint in " + store.root() + ", starting fresh");
            return false;
        }
        CheckpointStore.Loaded loaded = load(from, c.resume().equals("auto"));
        restore(loaded);
        List<String> changedKeys = warnAboutChangedSettings(from);
        warnAboutChangedData(from, loaded.state().trainData(), changedKeys);
        warnAboutAveragedAccumulation(from, loaded.state().gradAccumulation());
        s.progress().message("resumed from " + from + " at step " + step + " (epoch " + epoch + ", batch " + batchInEpoch + ")");
        return true;
    }

    /**
     * Loads a checkpoint; a damaged one is an error naming the file. --resume auto does not fall back
     * to an older checkpoint on its own: a checkpoint is only marked COMPLETE after every file was
     * fsync'd, so damage means the disk or a person changed it afterwards — worth knowing before
     * training on — and falling back silently would redo steps and later overwrite the damaged step's
     * directory, the only evidence. The error names the older complete checkpoint to pass to
     * --resume instead, so continuing from it is one deliberate flag away.
     */
    private CheckpointStore.Loaded load(Path from, boolean auto) throws IOException {
        try {
            return store.load(from);
        } catch (DamagedCheckpointException e) {
            if (!auto) throw e;
            List<Path> older = store.complete().stream().filter(p -> CheckpointStore.step(p) < CheckpointStore.step(from)).toList();
            String hint = older.isEmpty() ? "; no older checkpoint to resume from: start a new --output-dir"
                    : "; to continue from the previous checkpoint instead, pass --resume " + older.getLast();
            throw new DamagedCheckpointException("--resume auto: " + e.getMessage() + hint, e);
        }
    }

    /** Settings that do not change what the steps compute; anything else makes the resumed run differ. */
    private static final java.util.Set<String> FREE_ON_RESUME = java.util.Set.of("resume", "max-steps", "epochs", "eval-steps",
            "save-steps", "log-steps", "patience", "keep-checkpoints", "output-dir", "threads", "tracker", "eval-max-examples",
            "eval-batch-size", "num-beams", "max-new-tokens", "length-penalty", "no-repeat-ngram-size", "strict",
            // The same losses and gradients either way (ulps of summation order): memory against time, per machine.
            "gradient-checkpointing");

    /**
     * Settings newer than some checkpoints: a checkpoint written without the key trained with the
     * default, so resuming it with another value is a change to warn about like any other.
     */
    private static final java.util.Set<String> ADDED_LATER = java.util.Set.of("label-smoothing");

    /** Warns about settings changed since the checkpoint; returns their keys (empty when unknown). */
    private List<String> warnAboutChangedSettings(Path checkpoint) throws IOException {
        Path file = checkpoint.resolve(CheckpointStore.CONFIG);
        List<String> keys = new java.util.ArrayList<>();
        if (!Files.exists(file)) return keys;
        Map<String, Object> saved;
        try {
            saved = CONFIG_JSON.readValue(file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Only used to warn about changed settings; the weights and state loaded fine, so say so and go on.
            s.warn().accept("cannot compare settings with " + file + ": not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
            return keys;
        }
        if (saved == null) return keys;
        Map<String, Object> now = c.toMap();
        List<String> changed = new java.util.ArrayList<>();
        Map<String, Object> defaults = TrainConfig.defaults().toMap();
        for (String key : now.keySet()) {
            boolean absentMeansDefault = !saved.containsKey(key) && ADDED_LATER.contains(key);
            if (FREE_ON_RESUME.contains(key) || !saved.containsKey(key) && !absentMeansDefault) continue;
            Object a = absentMeansDefault ? defaults.get(key) : saved.get(key), b = now.get(key);
            boolean same = a == null ? b == null : b != null && (a instanceof Number na && b instanceof Number nb
                    ? na.doubleValue() == nb.doubleValue() : a.toString().equals(b.toString()));
            if (!same) {
                changed.add(key + " " + a + " → " + b);
                keys.add(key);
            }
        }
        String endMoved = scheduleEndMoved(saved);
        if (endMoved != null) changed.add(endMoved);
        if (!changed.isEmpty()) {
            s.warn().accept("resuming " + checkpoint.getFileName() + " with changed settings (" + String.join(", ", changed)
                    + "): the result will differ from an uninterrupted run");
        }
        return keys;
    }

    /** The schedules whose decay ends at the run's last step: the run's length is part of every lr. */
    private static final java.util.Set<String> DECAY_TO_LAST_STEP = java.util.Set.of("linear", "cosine");

    /**
     * --max-steps and --epochs are free to change on resume (stop sooner, train longer) except under
     * the linear and cosine schedules, whose decay ends at the run's last step: a new length changes
     * every lr from here on, so the run matches neither plan. Returns what moved, or null.
     */
    private String scheduleEndMoved(Map<String, Object> saved) {
        if (!DECAY_TO_LAST_STEP.contains(c.schedule()) || !c.schedule().equals(String.valueOf(saved.get("schedule")))) return null;
        long before;
        try {
            Map<String, Object> length = new java.util.HashMap<>();
            for (String key : List.of("max-steps", "epochs", "grad-accum")) if (saved.containsKey(key)) length.put(key, saved.get(key));
            before = totalSteps(c.with(length), batches.batchesPerEpoch());
        } catch (RuntimeException e) { // a saved value this version does not accept: nothing to compare
            return null;
        }
        if (before == totalSteps) return null;
        return "run length " + before + " → " + totalSteps + " steps: the " + c.schedule() + " schedule now decays to 0 at step " + totalSteps
                + " instead of " + before;
    }

    /** Settings that change the token ids of the same dataset file (and so its fingerprint). */
    private static final List<String> SHAPE_TOKENS = List.of("max-source-length", "max-target-length", "prefix", "text-column",
            "summary-column", "tokenizer");

    /**
     * A checkpoint of an older Resumo, whose steps averaged their micro-batches: from here a step sums
     * them (transformers' arithmetic for T5), so with --grad-accum N the logged loss and grad_norm
     * jump about N-fold at the resume and --max-grad-norm clips a gradient N times larger. Said once,
     * so that the jump in the curves has an explanation.
     */
    private void warnAboutAveragedAccumulation(Path checkpoint, String saved) {
        if (saved != null || c.gradAccum() == 1) return; // one micro-batch: its sum is its mean
        s.warn().accept(checkpoint.getFileName() + " was written by an older Resumo whose steps averaged their --grad-accum "
                + c.gradAccum() + " micro-batches; from here a step sums them, as transformers' Trainer does for T5, so the"
                + " logged loss and grad_norm are about " + c.gradAccum() + "x what they were before this resume"
                + (c.maxGradNorm() > 0 ? " and --max-grad-norm " + c.maxGradNorm() + " clips a gradient " + c.gradAccum() + "x larger" : ""));
    }

    /** The dataset file was edited or replaced while the run was stopped: the steps from here see other batches. */
    private void warnAboutChangedData(Path checkpoint, String saved, List<String> changedKeys) {
        if (saved == null || saved.equals(trainData)) return; // older checkpoints recorded none
        // A changed --max-source-length (say) re-tokenizes the same file: name it rather than send
        // the user to look for an edit of the dataset that did not happen.
        List<String> shaping = changedKeys.stream().filter(SHAPE_TOKENS::contains).map(k -> "--" + k).toList();
        String cause = shaping.isEmpty() ? "was --dataset " + c.dataset() + " changed?"
                : "the changed " + String.join(", ", shaping) + " gives other token ids (or --dataset " + c.dataset()
                        + " changed too)";
        s.warn().accept("the training data differs from what " + checkpoint.getFileName() + " was trained on ("
                + DataFingerprint.examples(saved) + " examples then, " + DataFingerprint.examples(trainData) + " now"
                + (DataFingerprint.examples(saved).equals(DataFingerprint.examples(trainData)) ? ", other content" : "")
                + "): " + cause + ". The resumed run will not match an uninterrupted one");
    }

    private void restore(CheckpointStore.Loaded ck) {
        copyWeights(ck.weights(), ck.dir());
        try {
            s.optimizer().restore(ck.optimizerState());
        } catch (IllegalArgumentException e) {
            // A checkpoint without a config.json naming its optimizer: tell by the state's names.
            String saved = ResumePoint.optimizerOfState(List.copyOf(ck.optimizerState().keySet()));
            if (saved != null && !saved.equals(c.optimizer())) throw ResumePoint.mismatch(saved, c.optimizer());
            throw new ConfigException("checkpoint " + ck.dir() + ": its optimizer state does not fit this model ("
                    + e.getMessage().lines().findFirst().orElse("").replaceAll("\\[[^\\]]{200,}\\]", "[...]") + ")");
        }
        TrainerState t = ck.state();
        step = t.step();
        epoch = t.epoch();
        batchInEpoch = t.batchInEpoch();
        dropoutRng.setState(t.dropoutRngState());
        bestValue = t.bestMetricValue();
        bestCheckpoint = t.bestCheckpoint();
        evalsWithoutImprovement = t.evalsWithoutImprovement();
        examplesSeen = t.examplesSeen();
        targetTokensSeen = t.targetTokensSeen();
        lossSinceLog = t.lossSinceLog();
        stepsSinceLog = t.stepsSinceLog();
        // Unknown in older checkpoints: their step is evaluated again, as before, and the model card
        // has the best evaluation's figures only if a later one does better.
        lastEvaluatedStep = t.lastEvaluatedStep() != null ? t.lastEvaluatedStep() : -1;
        bestMetrics = t.bestMetrics() != null ? java.util.Collections.unmodifiableMap(new LinkedHashMap<>(t.bestMetrics())) : Map.of();
        lastSavedStep = step;
        lastCheckpoint = ck.dir();
    }

    private void copyWeights(Map<String, Tensor> weights, Path from) {
        for (Parameter p : params) {
            Tensor e = weights.get(p.name());
            if (e == null) throw new ConfigException("checkpoint " + from + " has no weights for " + p.name());
            if (!java.util.Arrays.equals(e.shape(), p.shape())) {
                throw new ConfigException("checkpoint " + from + ": " + p.name() + " has shape " + java.util.Arrays.toString(e.shape())
                        + ", the model " + java.util.Arrays.toString(p.shape()) + " (different model config?)");
            }
            p.load(e.toArray());
        }
    }

    /** model/ gets the best checkpoint's weights (or the last when nothing was evaluated better). */
    private void exportBestModel(TrainResult r) throws IOException {
        Path best = bestCheckpoint == null ? lastCheckpoint : store.root().resolve(bestCheckpoint);
        if (best != null && !best.equals(lastCheckpoint)) copyWeights(store.load(best).weights(), best);
        Path staged = s.runDir().stageModel();
        try {
            s.model().save(staged);
            s.runDir().completeModel(staged, c, s.spieceModel());
            s.runDir().writeModelCard(staged, ModelCard.markdown(c, r, s.card()));
        } catch (IOException | RuntimeException e) {
            // model/ (an earlier segment's, if any) is untouched; the half-written copy goes.
            Durable.deleteAfterFailure(staged, e);
            throw e;
        }
        s.runDir().publishModel(staged);
        Path model = s.runDir().model();
        s.tracker().artifacts(model);
        s.progress().message("model (" + (best == null ? "last" : best.getFileName()) + ") written to " + model);
    }
}
