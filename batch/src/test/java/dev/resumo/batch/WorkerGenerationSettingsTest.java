package dev.resumo.batch;

import static dev.resumo.batch.BeamPipelineTest.golden;
import static dev.resumo.batch.BeamPipelineTest.options;
import static dev.resumo.batch.BeamPipelineTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.GenerationOverrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every generation setting travels as a Beam option to the workers, which generate with it. */
class WorkerGenerationSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySettingSurvivesTheTripThroughBeamOptions() {
        GenerationOverrides all = new GenerationOverrides(40, 3, 4, 0.6f, GenerationConfig.EarlyStopping.NEVER, 3, 1.3f, false,
                0.7f, 20, 0.95f, -9_000_000_000L, 5);
        assertEquals(all, GenerationOptions.from(options("in", "out", GenerationOptions.args(all).toArray(String[]::new))));
        assertEquals(GenerationOverrides.NONE, GenerationOptions.from(options("in", "out")), "nothing given: all the model's");
        assertEquals(List.of(), GenerationOptions.args(GenerationOverrides.NONE));
        // Two loaders with other settings must not share one JVM's loaded summarizer.
        ModelDirLoader greedy = new ModelDirLoader("m", null, "p", 64, GenerationOverrides.NONE, 1, 2, "cpu");
        ModelDirLoader sampled = new ModelDirLoader("m", null, "p", 64, all, 1, 2, "cpu");
        assertNotEquals(greedy.key(), sampled.key());
    }

    /**
     * The workers' own load (no summarizer handed over by the launcher) samples as the Summarizer
     * does with the same settings: each row from its own generator seeded with --seed, so the
     * pipeline's batches do not matter. Exact: same model, same kernels.
     */
    @Test
    void workersSampleWithTheGivenSettings(@TempDir Path dir) throws Exception {
        Path model = golden("golden/t5-v1_0-tiny"), spiece = golden("models/ptt5-portuguese-vocab/spiece.model");
        List<String> texts = List.of("O governo anunciou hoje um novo plano para a educação.",
                "A seleção venceu a partida por dois a zero.", "Chuva forte causa alagamentos no Recife.");
        Path corpus = dir.resolve("in.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) lines.add(JSON.createObjectNode().put("id", "n" + i).put("text", texts.get(i)).toString());
        Files.write(corpus, lines);
        BatchOptions o = options(corpus.toString(), dir.resolve("out").toString(), "--batchSize=2", "--maxNewTokens=10",
                "--maxSourceLength=64", "--model=" + model, "--tokenizer=" + spiece, "--doSample=true", "--seed=7", "--topK=50",
                "--temperature=2.0");
        assertEquals(PipelineResult.State.DONE, SummarizePipeline.build(o, SummarizePipeline.modelLoader(o)).run().waitUntilFinish());
        Map<String, String> byId = new HashMap<>();
        for (JsonNode n : readAll(dir, "out-summaries")) byId.put(n.get("id").asText(), n.get("summary").asText());
        GenerationConfig sampling = GenerationConfig.greedy(10).withSampling(2.0f, 50, 1.0f, 7);
        Summarizer alone = Summarizer.load(model, spiece, sampling, Summarizer.DEFAULT_PREFIX, 64);
        Summarizer greedy = Summarizer.load(model, spiece, GenerationConfig.greedy(10), Summarizer.DEFAULT_PREFIX, 64);
        List<String> expected = new ArrayList<>(), greedySummaries = new ArrayList<>(), got = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            expected.add(alone.summarize(texts.get(i)));
            greedySummaries.add(greedy.summarize(texts.get(i)));
            got.add(byId.get("n" + i));
        }
        assertEquals(expected, got, "the workers sample as the Summarizer does, text by text");
        assertNotEquals(greedySummaries, got, "sampling changed the summaries: the settings reached the workers");
        assertTrue(readAll(dir, "out-dead-letters").isEmpty());
    }
}
