package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.t5.Golden;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Model;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every run of generation-reference/NAME.json (weights-tools/make_generation_reference.py,
 * transformers 5.24, torch 2.15) gives the same ids here as transformers' generate(), and beam
 * search the same scores: greedy and beam search with repetition_penalty, no_repeat_ngram_size,
 * min_new_tokens / min_length, length_penalty 0.6 / 1 / 2 / 0 / -0.5, early_stopping true / false /
 * "never", num_return_sequences up to num_beams, and combinations; on the golden batch and on a
 * padded batch cut from it; with the model's {@code </s>} and with a stand-in end token the model
 * often picks (a random tiny model never picks id 1, and without an end length_penalty,
 * early_stopping and min_new_tokens would change nothing); from generation_config.json files
 * read by {@link GenerationConfig#load} as transformers reads them; and beam sampling (do_sample
 * with 2 beams) where top-k / top-p leave exactly the 4 continuations torch.multinomial draws, so
 * its draw is forced (the script checks two torch seeds agree): temperature in the accumulated
 * scores, min_tokens_to_keep 2 (top_k 1 keeps 2; top_p 0.5 keeps both of top_k 2's tokens), the
 * drawn pairs sorted by score. Without min_tokens_to_keep 2 two of these runs differ. Sampling with
 * one beam and num_return_sequences 2-3 where top_k 1 forces the draw: each input's copies, in
 * transformers' row order.
 *
 * <p>Ids must be identical. That is a fair test because every run records the smallest gap
 * between scores whose order decided it (greedy: top-1 over top-2; beam: neighbouring candidates,
 * finished hypotheses, the early-stopping comparison), and each is checked below to exceed
 * {@link #ORDER_TOLERANCE}, more than the largest difference of these scores between the two
 * implementations.
 */
class TransformersGenerateParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How far a beam's summed log-probabilities (its score before the length penalty) may differ.
     * Both sides add up to 16 float32 log-softmax values of ≈ -10 in the same order, so the sums
     * (|sum| up to ≈ 160, where one float32 ulp is 1.5e-5) differ by the rounding of terms that
     * differ in their last bits (the logits agree to ~1e-6; Java's log-softmax sums its
     * exponentials in double, torch in float32): measured ≤ 2.0e-5, i.e. about one ulp. Two ulps.
     */
    private static final double SUM_TOLERANCE = 3e-5;

    /**
     * A recorded decision closer than this could go either way between the implementations: the
     * largest difference of summed log-probabilities measured (2.0e-5). The tightest runs clear it
     * by little (2.3e-5 … 4e-5, beam search on t5-v1_0-tiny): if ids ever differ there after an
     * engine change, look at the arithmetic before the search.
     */
    private static final double ORDER_TOLERANCE = 2e-5;

    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0-tiny", "t5-v1_1-tiny"})
    void everyRecordedRunMatchesTransformers(String name, @TempDir Path tmp) throws Exception {
        Path dir = Golden.model(name);
        T5Model model = T5Checkpoint.load(dir);
        Golden.GenerationInputs golden = Golden.generationInputs(dir);
        JsonNode reference;
        try (InputStream ref = getClass().getResourceAsStream("/generation-reference/" + name + ".json")) {
            assertNotNull(ref, "generation-reference/" + name + ".json is missing");
            reference = JSON.readTree(ref);
        }
        int standInEos = reference.get("stand_in_eos").intValue();
        T5Model standIn = T5Model.of(withEos(model.config(), standInEos), model.parameters());
        int[] padded = padded(golden, reference.get("padded_lengths"), model.config());
        int[] paddedMask = paddedMask(golden, reference.get("padded_lengths"));

        int runs = 0, ends = 0, scored = 0, fromFiles = 0;
        double worstSum = 0;
        for (Map.Entry<String, JsonNode> e : reference.get("runs").properties()) {
            String what = name + " " + e.getKey();
            JsonNode run = e.getValue();
            assertTrue(run.get("min_margin").doubleValue() > ORDER_TOLERANCE,
                    what + ": transformers decided it by a margin of " + run.get("min_margin") + ", too close to compare");
            int eos = run.get("eos_token_id").intValue();
            T5Model m = eos == model.config().eosTokenId() ? model : standIn;
            assertEquals(eos, m.config().eosTokenId(), what + ": eos " + eos + " is neither the model's nor the stand-in");
            GenerationConfig settings;
            if (run.has("generation_config.json")) {
                Path file = tmp.resolve(e.getKey() + ".json");
                Files.writeString(file, run.get("generation_config.json").toString());
                settings = GenerationConfig.load(file);
                fromFiles++;
            } else {
                settings = settings(run.get("generate"));
            }
            boolean isPadded = run.get("inputs").textValue().equals("padded");
            Generated got = Generator.generate(m, isPadded ? padded : golden.ids(), isPadded ? paddedMask : golden.mask(),
                    golden.batch(), golden.length(), settings);

            JsonNode ids = run.get("ids");
            assertEquals(ids.size(), got.sequences().size(), what + ": sequences");
            for (int r = 0; r < ids.size(); r++) {
                int[] expected = ints(ids.get(r));
                assertArrayEquals(expected, got.sequences().get(r), what + " (" + settings + "): sequence " + r);
                if (expected[expected.length - 1] == eos) ends++;
            }
            JsonNode scores = run.get("sequences_scores");
            if (scores != null) {
                float[] actual = got.sequenceScores();
                assertEquals(scores.size(), actual.length, what + ": beam scores");
                for (int r = 0; r < actual.length; r++) {
                    float expected = scores.get(r).floatValue();
                    // The score is sum / length^length_penalty: the sum's tolerance scaled the same way,
                    // plus the rounding of that division (one ulp of the score).
                    double norm = Math.pow(got.sequences().get(r).length - 1, settings.lengthPenalty());
                    double tolerance = SUM_TOLERANCE / norm + Math.ulp(expected);
                    double sumDiff = Math.abs(actual[r] - expected) * norm;
                    worstSum = Math.max(worstSum, sumDiff);
                    assertTrue(Math.abs(actual[r] - expected) <= tolerance, what + ": beam score " + r + " is " + actual[r]
                            + ", transformers " + expected + " (tolerance " + tolerance + ")");
                }
                scored++;
            } else {
                assertEquals(0, got.sequenceScores().length, what + ": greedy decoding has no beam scores");
            }
            runs++;
        }
        assertTrue(runs >= 60 && fromFiles >= 10 && scored >= 40 && ends >= 40,
                name + ": the reference should hold many runs, file-configured ones, beam scores and ended sequences; got "
                        + runs + " runs, " + fromFiles + " from files, " + scored + " scored, " + ends + " ended");
        System.out.printf("%s: %d runs (%d from generation_config.json, %d with beam scores, %d sequences ended by eos) "
                + "identical to transformers; summed log-probabilities of the beams within %.2g (tolerance %.0g)%n",
                name, runs, fromFiles, scored, ends, worstSum, SUM_TOLERANCE);
    }

    /** generate() keyword arguments as recorded by the script → the same settings here. */
    static GenerationConfig settings(JsonNode kw) {
        int beams = kw.path("num_beams").asInt(1);
        GenerationConfig g = GenerationConfig.greedy(kw.get("max_new_tokens").asInt());
        if (beams > 1) {
            JsonNode es = kw.get("early_stopping");
            g = g.withBeams(beams, (float) kw.path("length_penalty").asDouble(1.0),
                    es == null ? GenerationConfig.EarlyStopping.FALSE : GenerationConfig.earlyStopping(es),
                    kw.path("num_return_sequences").asInt(1));
        }
        // transformers' min_length counts the decoder start token
        int minNew = kw.has("min_new_tokens") ? kw.get("min_new_tokens").asInt() : Math.max(0, kw.path("min_length").asInt(0) - 1);
        g = g.withMinNewTokens(minNew)
                .withNoRepeatNgramSize(kw.path("no_repeat_ngram_size").asInt(0))
                .withRepetitionPenalty((float) kw.path("repetition_penalty").asDouble(1.0));
        if (kw.path("do_sample").asBoolean(false)) {
            // The script gives every sampling setting (generate()'s top_k default is 50); the seed
            // does not matter: the recorded sampling runs (beam sampling, and one-beam sampling with
            // several copies) are ones whose draw is forced.
            g = g.withSampling((float) kw.get("temperature").asDouble(), kw.get("top_k").asInt(),
                    (float) kw.get("top_p").asDouble(), 0);
            // One beam: each input sampled num_return_sequences times (with beams, set above)
            if (beams == 1) g = g.withNumReturnSequences(kw.path("num_return_sequences").asInt(1));
        }
        return g;
    }

    private static T5Config withEos(T5Config c, int eos) {
        return new T5Config(c.vocabSize(), c.dModel(), c.dKv(), c.dFf(), c.numLayers(), c.numDecoderLayers(), c.numHeads(),
                c.relativeAttentionNumBuckets(), c.relativeAttentionMaxDistance(), c.feedForward(), c.tieWordEmbeddings(),
                c.scaleDecoderOutputs(), c.layerNormEpsilon(), c.dropoutRate(), c.padTokenId(), eos, c.decoderStartTokenId());
    }

    /** The script's padded batch: row r keeps its first lengths[r] - 1 tokens, then </s>, then pad. */
    private static int[] padded(Golden.GenerationInputs in, JsonNode lengths, T5Config c) {
        int[] out = new int[in.ids().length];
        java.util.Arrays.fill(out, c.padTokenId());
        for (int r = 0; r < in.batch(); r++) {
            int n = lengths.get(r).intValue();
            System.arraycopy(in.ids(), r * in.length(), out, r * in.length(), n - 1);
            out[r * in.length() + n - 1] = c.eosTokenId();
        }
        return out;
    }

    private static int[] paddedMask(Golden.GenerationInputs in, JsonNode lengths) {
        int[] mask = new int[in.ids().length];
        for (int r = 0; r < in.batch(); r++) java.util.Arrays.fill(mask, r * in.length(), r * in.length() + lengths.get(r).intValue(), 1);
        return mask;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).intValue();
        return out;
    }
}
