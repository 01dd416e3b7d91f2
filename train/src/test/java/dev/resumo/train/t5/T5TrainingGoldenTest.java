package dev.resumo.train.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.io.SafetensorsFile;
import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.train.EngineOptimizer;
import dev.resumo.train.Parameter;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.batch.TokenBatch;
import dev.resumo.train.batch.TokenizedExample;
import dev.resumo.train.batch.Tokenization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The training path (T5 adapter → gradients → engine optimizer), checked against PyTorch +
 * transformers (../shared/golden, made by make_golden.py; dropout 0, no clipping there).
 */
class T5TrainingGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path golden;

    @BeforeAll
    static void findShared() {
        golden = Path.of(System.getProperty("resumo.shared", "../shared")).resolve("golden");
        Assumptions.assumeTrue(Files.isDirectory(golden.resolve("t5-v1_0-tiny")),
                "reference data ../shared/golden is absent (a clone without shared/): golden training tests skipped");
    }

    /** Three steps on batch.safetensors with each lr-1e-3 optimizer: every parameter within relative L2 1e-5. */
    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0-tiny", "t5-v1_1-tiny"})
    void threeOptimizerStepsMatchPyTorch(String name) throws IOException {
        Path dir = golden.resolve(name);
        JsonNode meta = JSON.readTree(dir.resolve("meta.json").toFile());
        TokenBatch batch = goldenBatch(dir.resolve("batch.safetensors"));
        int checked = 0;
        for (String[] run : new String[][] {{"adafactor_lr1e-3", "adafactor", "0"}, {"adamw_lr1e-3_wd0.01", "adamw", "0.01"}}) {
            T5TrainableModel model = new T5TrainableModel(T5Checkpoint.load(dir));
            TrainConfig c = TrainConfig.defaults().with(Map.of("optimizer", run[1], "lr", "1e-3", "weight-decay", run[2]));
            // make_golden.py steps torch's optimizers over model.parameters(): one group, every parameter
            // decayed (the Trainer's decay groups are TrainerParityTest's business).
            EngineOptimizer opt = EngineOptimizer.create(c, model.parameters(), java.util.Set.of());
            for (int step = 0; step < 3; step++) {
                for (Parameter p : model.parameters()) p.zeroGrad();
                float loss = model.accumulateGradients(batch, new Xoshiro256Random(1), 1f);
                double expected = meta.get("losses_" + run[0]).get(step).asDouble();
                // Loss before each update: float32 sums in another order than PyTorch's, 1e-5 relative.
                assertEquals(expected, loss, 1e-5 * Math.abs(expected), name + " " + run[0] + " loss at step " + step);
                opt.step(model.parameters(), 1e-3);
            }
            Map<String, Tensor> want = Safetensors.readAll(dir.resolve("after3_" + run[0] + ".safetensors"));
            for (Parameter p : model.parameters()) {
                Tensor w = want.get(p.name());
                assertTrue(w != null, "golden has " + p.name());
                double rel = relativeL2(p.values(), w.toArray());
                // Acceptance bound: three fp32 updates accumulate only reduction-order differences.
                assertTrue(rel <= 1e-5, name + " " + run[0] + " " + p.name() + " relative L2 " + rel);
                checked++;
            }
        }
        System.out.println(name + ": " + checked + " parameters checked after 3 optimizer steps (2 optimizers)");
    }

    /** The 30-step Adafactor curve over TeMário batches as meta.json's curve_batches describes: loss rel. error ≤ 1e-4. */
    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0-tiny", "t5-v1_1-tiny"})
    void thirtyStepCurveMatchesPyTorch(String name) throws IOException {
        Path dir = golden.resolve(name);
        Path spiece = golden.getParent().resolve("models/ptt5-portuguese-vocab/spiece.model");
        Path temario = golden.getParent().resolve("data/temario/temario.jsonl");
        Assumptions.assumeTrue(Files.exists(spiece) && Files.exists(temario), "PTT5 spiece.model or TeMário missing");
        T5Tokenizer tok = T5Tokenizer.load(spiece);
        List<Tokenization.TextPair> train = new ArrayList<>();
        for (String line : Files.readAllLines(temario)) {
            JsonNode d = JSON.readTree(line);
            if (d.get("split").asText().equals("train")) {
                train.add(new Tokenization.TextPair(d.get("id").asText(), d.get("text").asText(), d.get("summary").asText()));
            }
        }
        List<TokenizedExample> examples = Tokenization.tokenize(train, t -> tok.encode(t, true), "summarize: ", 64, 16);
        JsonNode curve = JSON.readTree(dir.resolve("meta.json").toFile()).get("curve_adafactor_lr1e-3_bs4");

        T5TrainableModel model = new T5TrainableModel(T5Checkpoint.load(dir));
        EngineOptimizer opt = EngineOptimizer.create(TrainConfig.defaults(), model.parameters()); // Adafactor, lr 1e-3
        double worst = 0;
        for (int step = 0; step < 30; step++) {
            List<TokenizedExample> chunk = new ArrayList<>();
            for (int j = 0; j < 4; j++) chunk.add(examples.get((step * 4 + j) % examples.size()));
            for (Parameter p : model.parameters()) p.zeroGrad();
            float loss = model.accumulateGradients(TokenBatch.of(chunk), new Xoshiro256Random(1), 1f);
            double expected = curve.get(step).asDouble();
            double rel = Math.abs(loss - expected) / Math.abs(expected);
            worst = Math.max(worst, rel);
            // Acceptance bound 1e-4 per step: fp32 reduction-order differences compound over 30 updates.
            assertTrue(rel <= 1e-4, name + " step " + step + ": loss " + loss + " vs " + expected + " (rel " + rel + ")");
            opt.step(model.parameters(), 1e-3);
        }
        System.out.printf("%s: 30-step curve matches, worst relative loss error %.2e%n", name, worst);
    }

    private static TokenBatch goldenBatch(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            int[] ids = f.loadInts("input_ids");
            int[] mask = f.loadInts("attention_mask");
            int[] labels = f.loadInts("labels");
            int[] dec = f.loadInts("decoder_input_ids");
            int b = f.info("input_ids").shape()[0];
            int s = f.info("input_ids").shape()[1];
            int t = f.info("labels").shape()[1];
            int tokens = 0;
            for (int l : labels) if (l != TokenBatch.IGNORE_INDEX) tokens++;
            String[] names = new String[b];
            for (int i = 0; i < b; i++) names[i] = "golden-" + i;
            return new TokenBatch(names, b, s, t, ids, mask, labels, dec, tokens);
        }
    }

    private static double relativeL2(float[] got, float[] want) {
        double diff = 0, norm = 0;
        for (int i = 0; i < got.length; i++) {
            double d = got[i] - want[i];
            diff += d * d;
            norm += (double) want[i] * want[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
    }
}
