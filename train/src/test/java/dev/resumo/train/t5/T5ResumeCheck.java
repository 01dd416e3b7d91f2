package dev.resumo.train.t5;

import dev.resumo.train.fake.StopAfterStep;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.train.EngineOptimizer;
import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import dev.resumo.train.Trainer;
import dev.resumo.train.TrainingSetup;
import dev.resumo.train.batch.LengthGroupedBatches;
import dev.resumo.train.batch.TokenizedExample;
import dev.resumo.train.batch.Tokenization;
import dev.resumo.train.eval.Evaluator;
import dev.resumo.train.progress.Progress;
import dev.resumo.train.run.ModelCard;
import dev.resumo.train.run.RunDirectory;
import dev.resumo.train.track.NoTracker;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stop-and-resume with the real T5 (dropout 0.1 through Ops.dropout, Adafactor) against an
 * uninterrupted run: {@code T5ResumeCheck WORK_DIR} exits 0 when the weights and optimizer state
 * after step 6 are the same bytes, 1 otherwise. Run by {@link T5ResumeTest} in its own JVM.
 */
public final class T5ResumeCheck {
    public static void main(String[] args) throws Exception {
        Path tmp = Path.of(args[0]);
        Path res = tmp.resolve("res");
        Files.createDirectories(res);
        for (String f : new String[] {"config.json", "corpus.jsonl", "spiece.model"}) {
            try (InputStream in = T5ResumeCheck.class.getResourceAsStream("/dev/resumo/train/demo/" + f)) {
                Files.copy(in, res.resolve(f));
            }
        }
        T5Config modelConfig = T5Config.load(res.resolve("config.json"));
        if (!(modelConfig.dropoutRate() > 0)) throw new AssertionError("the check needs dropout to exercise the generator state");
        T5Tokenizer tok = T5Tokenizer.load(res.resolve("spiece.model"));
        ObjectMapper json = new ObjectMapper();
        List<Tokenization.TextPair> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(res.resolve("corpus.jsonl")).subList(0, 28)) {
            JsonNode d = json.readTree(line);
            pairs.add(new Tokenization.TextPair(d.get("id").asText(), d.get("text").asText(), d.get("summary").asText()));
        }
        List<TokenizedExample> all = Tokenization.tokenize(pairs, t -> tok.encode(t, true), "summarize: ", 32, 8);

        Path straight = tmp.resolve("straight");
        TrainResult a = train(straight, modelConfig, all, Map.of(), -1);
        check("FINISHED".equals(a.status()), "straight run finished");

        Path split = tmp.resolve("split");
        TrainResult first = train(split, modelConfig, all, Map.of(), 4); // mid-epoch: epoch 1, batch 2
        check("INTERRUPTED".equals(first.status()) && first.steps() == 4, "stopped at step 4");
        TrainResult second = train(split, modelConfig, all, Map.of("resume", "auto"), -1);
        check(second.steps() == 6, "resumed to step 6");

        long weights = Files.mismatch(straight.resolve("checkpoints/step-00000006/model.safetensors"),
                split.resolve("checkpoints/step-00000006/model.safetensors"));
        long optimizer = Files.mismatch(straight.resolve("checkpoints/step-00000006/optimizer.safetensors"),
                split.resolve("checkpoints/step-00000006/optimizer.safetensors"));
        System.out.println("T5 stop at step 4 + resume to 6: weights " + (weights == -1 ? "identical" : "differ at byte " + weights)
                + ", optimizer state " + (optimizer == -1 ? "identical" : "differ at byte " + optimizer));
        System.exit(weights == -1 && optimizer == -1 ? 0 : 1);
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    /** Six steps (batch 4, grad-accum 2 over 24 examples: 3 steps an epoch); stops after stopAt steps when ≥ 0. */
    private static TrainResult train(Path dir, T5Config modelConfig, List<TokenizedExample> all, Map<String, Object> extra,
                                     long stopAt) throws Exception {
        Map<String, Object> m = new java.util.HashMap<>(Map.of("output-dir", dir.toString(), "max-steps", 6, "batch-size", 4,
                "grad-accum", 2, "eval-steps", 3, "save-steps", 2, "seed", 11, "max-source-length", 32, "max-target-length", 8));
        m.putAll(extra);
        TrainConfig c = TrainConfig.defaults().with(m);
        T5TrainableModel model = new T5TrainableModel(T5Init.random(modelConfig, new Xoshiro256Random(5)));
        StopSignal stop = StopSignal.manual();
        Progress progress = StopAfterStep.progress(stop, stopAt);
        Evaluator evaluator = new Evaluator(LengthGroupedBatches.evalBatches(all.subList(24, 28), 4), List.of(), List.of(), null, null);
        TrainingSetup setup = new TrainingSetup(c, model, EngineOptimizer.create(c, model.parameters()), all.subList(0, 24),
                evaluator, new RunDirectory(dir), new NoTracker(), progress, stop, null,
                new ModelCard.Data("demo slice", 24, 4, 0, "", Map.of()), w -> {});
        return new Trainer(setup).run();
    }
}
