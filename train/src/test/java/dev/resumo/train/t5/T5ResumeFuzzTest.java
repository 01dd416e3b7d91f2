package dev.resumo.train.t5;

import dev.resumo.train.fake.StopAfterStep;
import dev.resumo.train.fake.MetricsLines;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import dev.resumo.train.track.LocalTracker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resume sweep of ResumeFuzzTest with the real (tiny, 2+2-layer) T5 of the demo: dropout 0.1
 * through the engine's kernels, its reused step buffers, examples of varied lengths truncated at 32
 * tokens. Each case draws --optimizer, --weight-decay, --schedule, --warmup-steps, --grad-accum,
 * --batch-size against a training set that it does not divide, --max-steps across epochs,
 * --eval-steps with --patience, --save-steps, and 1-2 Ctrl-C stops; the stopped run must end with
 * the same model, last checkpoint and metrics.jsonl as the uninterrupted one. About 2 s a case
 * here; {@code -Dresumo.t5ResumeFuzz.cases=N} runs more.
 */
class T5ResumeFuzzTest {
    private static final long SEED = 91127L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static T5Config modelConfig;
    private static List<TokenizedExample> all;

    @BeforeAll
    static void data(@TempDir Path tmp) throws IOException {
        for (String f : new String[] {"config.json", "corpus.jsonl", "spiece.model"}) {
            try (InputStream in = T5ResumeFuzzTest.class.getResourceAsStream("/dev/resumo/train/demo/" + f)) {
                Files.copy(in, tmp.resolve(f));
            }
        }
        modelConfig = T5Config.load(tmp.resolve("config.json"));
        T5Tokenizer tok = T5Tokenizer.load(tmp.resolve("spiece.model"));
        List<Tokenization.TextPair> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("corpus.jsonl")).subList(0, 24)) {
            JsonNode d = JSON.readTree(line);
            pairs.add(new Tokenization.TextPair(d.get("id").asText(), d.get("text").asText(), d.get("summary").asText()));
        }
        all = Tokenization.tokenize(pairs, t -> tok.encode(t, true), "summarize: ", 32, 8);
    }

    @TestFactory
    Stream<DynamicTest> stoppedT5RunsResumeExactly(@TempDir Path tmp) {
        int cases = Integer.getInteger("resumo.t5ResumeFuzz.cases", 4);
        return IntStream.range(0, cases).mapToObj(i -> SEED + i)
                .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(tmp.resolve("s" + seed), seed)));
    }

    private static void check(Path dir, long seed) throws Exception {
        Random r = new Random(seed);
        Map<String, Object> m = new LinkedHashMap<>();
        String optimizer = r.nextBoolean() ? "adafactor" : "adamw";
        m.put("optimizer", optimizer);
        m.put("lr", optimizer.equals("adamw") ? 3e-3 : 1e-2);
        m.put("weight-decay", r.nextBoolean() ? 0.0 : 0.01);
        m.put("schedule", List.of("constant", "linear", "inverse-sqrt").get(r.nextInt(3)));
        m.put("warmup-steps", r.nextInt(4));
        m.put("grad-accum", 1 + r.nextInt(3));
        m.put("batch-size", 3 + r.nextInt(3));
        m.put("max-steps", 5 + r.nextInt(4));
        m.put("eval-steps", 2 + r.nextInt(3));
        m.put("patience", r.nextInt(3));
        m.put("save-steps", 2 + r.nextInt(3));
        m.put("keep-checkpoints", 1 + r.nextInt(3));
        m.put("log-steps", 1 + r.nextInt(2));
        m.put("seed", r.nextInt(1000));
        int examples = 10 + r.nextInt(11);
        String what = "seed " + seed + ", " + examples + " examples, " + new TreeMap<>(m);

        Path straight = dir.resolve("straight");
        TrainResult expected = train(straight, m, examples, -1);
        List<Long> stops = new ArrayList<>();
        for (int i = 1 + r.nextInt(2); i > 0; i--) stops.add(1 + (long) r.nextInt((int) expected.steps()));
        stops = stops.stream().distinct().sorted().toList();
        Map<String, Object> resume = new LinkedHashMap<>(m);
        resume.put("resume", "auto");
        Path run = dir.resolve("stopped");
        for (long stop : stops) train(run, resume, examples, stop);
        TrainResult actual = train(run, resume, examples, -1);
        what += ", stops " + stops;

        assertEquals(expected.status(), actual.status(), what);
        assertEquals(expected.steps(), actual.steps(), what);
        assertEquals(expected.bestCheckpoint(), actual.bestCheckpoint(), what);
        assertEquals(MetricsLines.withoutWallClock(straight), MetricsLines.withoutWallClock(run), "metrics.jsonl; " + what);
        String last = "checkpoints/" + expected.lastCheckpoint().getFileName() + "/";
        for (String f : List.of("model/model.safetensors", last + "model.safetensors", last + "optimizer.safetensors", last + "trainer_state.json")) {
            assertEquals(-1L, Files.mismatch(straight.resolve(f), run.resolve(f)), f + " differs; " + what);
        }
        System.out.println("T5 resume fuzz: " + expected.status() + " at step " + expected.steps() + ", stops " + stops + "; " + what);
    }

    private static TrainResult train(Path dir, Map<String, Object> settings, int examples, long stopAt) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(settings);
        m.put("output-dir", dir.toString());
        m.put("max-source-length", 32);
        m.put("max-target-length", 8);
        TrainConfig c = TrainConfig.defaults().with(m);
        T5TrainableModel model = new T5TrainableModel(T5Init.random(modelConfig, new Xoshiro256Random(5)));
        StopSignal stop = StopSignal.manual();
        Progress progress = StopAfterStep.progress(stop, stopAt);
        Evaluator evaluator = new Evaluator(LengthGroupedBatches.evalBatches(all.subList(20, 24), 4), List.of(), List.of(), null, null);
        List<TokenizedExample> train = all.subList(0, examples);
        RunDirectory runDir = new RunDirectory(dir);
        TrainingSetup setup = new TrainingSetup(c, model, EngineOptimizer.create(c, model.parameters()), train, evaluator, runDir,
                new LocalTracker(runDir.root()), progress, stop, null, new ModelCard.Data("demo slice", examples, 4, 0, "", Map.of()),
                w -> {});
        return new Trainer(setup).run();
    }

}
