package dev.resumo.train.fake;

import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import dev.resumo.train.Trainer;
import dev.resumo.train.TrainingSetup;
import dev.resumo.train.batch.LengthGroupedBatches;
import dev.resumo.train.batch.TokenizedExample;
import dev.resumo.train.eval.Evaluator;
import dev.resumo.train.eval.SummaryGenerator;
import dev.resumo.train.eval.SummaryScorer;
import dev.resumo.train.progress.PlainProgress;
import dev.resumo.train.run.ModelCard;
import dev.resumo.train.run.RunDirectory;
import dev.resumo.train.track.LocalTracker;
import dev.resumo.train.track.Tracker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A whole training run of the bag-of-words model on synthetic data, as the CLI would wire it. */
public final class FakeRun {
    private FakeRun() {}

    /** Settings small enough for unit tests; callers override what they test. */
    public static TrainConfig config(Path runDir, Map<String, ?> overrides) {
        Map<String, Object> m = new HashMap<>();
        m.put("output-dir", runDir.toString());
        m.put("experiment-name", "fake");
        m.put("batch-size", 4);
        m.put("eval-batch-size", 8);
        m.put("lr", 0.01);
        m.put("max-steps", 30);
        m.put("eval-steps", 10);
        m.put("save-steps", 5);
        m.put("log-steps", 5);
        m.put("seed", 7);
        m.put("max-new-tokens", 4);
        m.put("max-target-length", 8);
        m.putAll(overrides);
        return TrainConfig.defaults().with(m);
    }

    public static TrainResult run(TrainConfig c, long stepDelayMillis, long nanAtCall, StopSignal stop,
                                  PrintStream out, Consumer<String> warn) throws IOException {
        return run(c, stepDelayMillis, nanAtCall, stop, out, warn, LocalTracker::new);
    }

    /** The same run reporting to the tracker made for its run directory. */
    public static TrainResult run(TrainConfig c, long stepDelayMillis, long nanAtCall, StopSignal stop,
                                  PrintStream out, Consumer<String> warn, Function<Path, Tracker> trackerFor) throws IOException {
        // The trainer copies this file into model/ when it exports; the temporary one is removed
        // after the run (every run made one in /tmp, hundreds a test suite), or at JVM exit for a
        // run a test leaves going on a thread of its own. It lies beside the run directory, in the
        // test's temporary folder, so a run killed with -9 (a process test) leaves nothing in /tmp.
        Path beside = Path.of(c.outputDir()).toAbsolutePath().getParent();
        Path spiece = beside != null && java.nio.file.Files.isDirectory(beside)
                ? java.nio.file.Files.createTempFile(beside, "fake-spiece", ".model")
                : java.nio.file.Files.createTempFile("fake-spiece", ".model");
        spiece.toFile().deleteOnExit();
        try {
            java.nio.file.Files.writeString(spiece, "not a real sentencepiece model");
            return run(c, stepDelayMillis, nanAtCall, stop, out, warn, trackerFor, spiece);
        } finally {
            java.nio.file.Files.deleteIfExists(spiece);
        }
    }

    /** The same run with {@code spiece} as the tokenizer file model/ gets (it may be missing, to make the export fail). */
    public static TrainResult run(TrainConfig c, long stepDelayMillis, long nanAtCall, StopSignal stop, PrintStream out,
                                  Consumer<String> warn, Function<Path, Tracker> trackerFor, Path spiece) throws IOException {
        BagOfWordsModel model = new BagOfWordsModel(c.seed(), stepDelayMillis, nanAtCall, (float) c.labelSmoothing());
        List<TokenizedExample> train = data(48, 1);
        List<TokenizedExample> eval = data(8, 2);
        SummaryGenerator generator = texts -> texts.stream()
                .map(t -> render(model.generate(Arrays.stream(t.split(" ")).mapToInt(Integer::parseInt).toArray(), c.maxNewTokens())))
                .toList();
        List<String> texts = eval.stream().map(e -> render(e.source())).toList();
        List<String> refs = eval.stream().map(e -> render(e.target())).toList();
        Evaluator evaluator = new Evaluator(LengthGroupedBatches.evalBatches(eval, c.evalBatchSize()), texts, refs,
                generator, FakeRun::unigramF1);
        RunDirectory dir = new RunDirectory(Path.of(c.outputDir()));
        TrainingSetup setup = new TrainingSetup(c, model, new TestAdam(model.parameters()), train, evaluator, dir,
                trackerFor.apply(dir.root()), new PlainProgress(out, c.logSteps()), stop, spiece,
                new ModelCard.Data("synthetic ids", train.size(), eval.size(), 0, "", Map.of()), warn);
        return new Trainer(setup).run();
    }

    /** Random sources of 4..14 ids ending in </s>; the target is the source's 3 smallest ids + </s>. */
    static List<TokenizedExample> data(int n, long seed) {
        Random r = new Random(seed);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 4 + r.nextInt(11);
            int[] src = new int[len + 1];
            for (int k = 0; k < len; k++) src[k] = 3 + r.nextInt(BagOfWordsModel.VOCAB - 3);
            src[len] = 1;
            int[] sorted = Arrays.copyOf(src, len);
            Arrays.sort(sorted);
            int[] tgt = {sorted[0], sorted[1], sorted[2], 1};
            out.add(new TokenizedExample("ex" + seed + "-" + i, src, tgt));
        }
        return out;
    }

    static String render(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    /** Unigram F1 under the name rouge1 (the real ROUGE lives in the rouge package). */
    static Map<String, Double> unigramF1(List<String> predictions, List<String> references) {
        double sum = 0;
        for (int i = 0; i < predictions.size(); i++) {
            List<String> p = new ArrayList<>(List.of(predictions.get(i).split(" ")));
            List<String> ref = List.of(references.get(i).split(" "));
            int overlap = 0;
            for (String t : ref) if (p.remove(t)) overlap++;
            double prec = (double) overlap / predictions.get(i).split(" ").length, rec = (double) overlap / ref.size();
            sum += overlap == 0 ? 0 : 2 * prec * rec / (prec + rec);
        }
        return Map.of("rouge1", sum / predictions.size());
    }
}
