package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.t5.Golden;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Token ids identical to transformers' generate() with settings the golden files lack —
 * repetition_penalty above and below 1, greedy and beam search — on the golden tiny models and
 * their 4 padded inputs. The expected ids were written by weights-tools/make_generation_reference.py
 * (transformers 5.24, torch 2.15) into generation-reference/NAME.json with the smallest top-1/top-2
 * score margin along each path; exact equality is the right test because those margins (≥ 1.3e-3)
 * are over ten times the 1e-4 T5ParityTest holds these models' logits to (and the
 * actual differences there are far smaller).
 */
class RepetitionPenaltyParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0-tiny", "t5-v1_1-tiny"})
    void idsMatchTransformers(String name) throws Exception {
        Path dir = Golden.model(name);
        T5Model model = T5Checkpoint.load(dir);
        Golden.GenerationInputs in = Golden.generationInputs(dir);
        JsonNode runs;
        try (InputStream ref = getClass().getResourceAsStream("/generation-reference/" + name + ".json")) {
            assertNotNull(ref, "generation-reference/" + name + ".json is missing");
            runs = JSON.readTree(ref).get("runs");
        }
        int checked = 0;
        int penalised = 0;
        for (Map.Entry<String, JsonNode> run : runs.properties()) {
            JsonNode kw = run.getValue().get("generate");
            GenerationConfig settings = settings(kw);
            int[][] actual = Generator.generate(model, in.ids(), in.mask(), in.batch(), in.length(), settings)
                    .padded(model.config().padTokenId());
            JsonNode expected = run.getValue().get("ids");
            assertEquals(expected.size(), actual.length, name + " " + run.getKey() + ": rows");
            for (int r = 0; r < actual.length; r++) {
                int[] row = new int[expected.get(r).size()];
                for (int i = 0; i < row.length; i++) row[i] = expected.get(r).get(i).intValue();
                assertArrayEquals(row, actual[r], name + " " + run.getKey() + " (" + kw + "): row " + r);
            }
            checked++;
            if (settings.repetitionPenalty() != 1f) penalised++;
            System.out.printf("%s %s: %d sequences identical to transformers%n", name, run.getKey(), actual.length);
        }
        assertTrue(penalised >= 4 && checked > penalised, name + ": the reference file should hold penalised and plain runs");
    }

    /** generate() keyword arguments as recorded by the script → the same settings here. */
    private static GenerationConfig settings(JsonNode kw) {
        int beams = kw.path("num_beams").asInt(1);
        GenerationConfig g = GenerationConfig.greedy(kw.get("max_new_tokens").asInt());
        if (beams > 1) {
            g = g.withBeams(beams, (float) kw.path("length_penalty").asDouble(1.0),
                    kw.path("early_stopping").asBoolean(false) ? GenerationConfig.EarlyStopping.TRUE
                            : GenerationConfig.EarlyStopping.FALSE, 1);
        }
        return g.withRepetitionPenalty((float) kw.path("repetition_penalty").asDouble(1.0));
    }
}
