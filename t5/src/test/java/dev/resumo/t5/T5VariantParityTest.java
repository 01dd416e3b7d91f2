package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.Generated;
import dev.resumo.t5.generate.Generator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every checkpoint layout of resources/t5-variants (made by weights-tools/make_t5_variant_references.py
 * with transformers 5.24, torch 2.15) loads with {@link T5Checkpoint#load} into the model transformers
 * loads from the same folder: same resolved layout (activation, gating, lm_head tied or separate,
 * decoder-output rescale), same logits for a fixed padded batch, same greedy ids.
 *
 * <p>The variants: q/k/v wider than d_model (t5-11b, t5-efficient), a decoder deeper than the encoder,
 * every feed_forward_proj spelling (relu, gelu, gelu_new, gated-gelu_pytorch_tanh, gated-silu) and
 * dense_act_fn / is_gated_act overriding it, tied and untied lm_heads with and without the rescale,
 * a v1.1 checkpoint re-saved by transformers 5 (its config says tied, its file holds a separate
 * lm_head), non-default relative-position buckets and a config without max_distance, a large
 * layer_norm_epsilon with non-default start / pad / end tokens, mT5 tied and untied, float16,
 * bfloat16 and float8 (e4m3fn, no scales: transformers widens it exactly with dtype=float32) safetensors, pytorch_model.bin files (t5-small's aliased embeddings and stray
 * cross-attention bias table; bfloat16), a file without shared.weight, and torch shards listed by a
 * pytorch_model.bin.index.json (sharded-bin: transformers 4.x's save_pretrained(safe_serialization=False)).
 */
class T5VariantParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The folders the script writes; a missing one fails here instead of shrinking the test. */
    private static final int VARIANTS = 22;

    static Path root() {
        try {
            return Path.of(T5VariantParityTest.class.getResource("/t5-variants").toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("test resources t5-variants/ missing (weights-tools/make_t5_variant_references.py)", e);
        }
    }

    static Stream<String> variants() throws IOException {
        try (Stream<Path> dirs = Files.list(root())) {
            List<String> names = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            return names.stream();
        }
    }

    @Test
    void everyVariantIsThere() throws IOException {
        assertEquals(VARIANTS, variants().count(), "variant folders under t5-variants/");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void loadsAsTransformersDoesAndComputesTheSame(String name) throws IOException {
        Path dir = root().resolve(name);
        JsonNode ref = JSON.readTree(dir.resolve("reference.json").toFile());
        JsonNode hf = ref.get("transformers");
        T5Model model = T5Checkpoint.load(dir);
        T5Config c = model.config();

        assertEquals(hf.get("scale_decoder_outputs").booleanValue(), c.scaleDecoderOutputs(),
                name + ": decoder output rescaled by d_model^-0.5");
        assertEquals(hf.get("lm_head_tied").booleanValue(), !model.parameters().containsKey(T5ParameterNames.LM_HEAD),
                name + ": lm_head tied to shared.weight");
        assertEquals(hf.get("is_gated_act").booleanValue(), c.feedForward().gated(), name + ": gated feed-forward");
        assertEquals(T5Config.Activation.parse("dense_act_fn", hf.get("dense_act_fn").textValue()),
                c.feedForward().activation(), name + ": feed-forward activation");

        Path file = dir.resolve("reference.safetensors");
        Inputs in = Inputs.read(file);
        int batch = in.batch(), length = in.length();
        int[] ids = in.ids(), mask = in.mask();
        float[] expected = Golden.tensor(file, "logits").toArray();
        float[] logits = in.logits(model).toArray();
        float err = Golden.maxAbsDiff(logits, expected);
        float scale = (float) ref.get("max_abs_logit").doubleValue();
        // float32 on both sides over the same weights (half-precision files are widened exactly on
        // both sides); only the order of additions differs. Measured: at most 1.3e-6 of the largest
        // logit over every variant, steps included. 1e-5 of it leaves 8x room, and still fails
        // the smallest real mistake tried, the tanh GELU in place of the exact one (4e-4 = 9e-5 of
        // the largest logit on gelu-exact); a wrong scale, table or weight moves logits by 1e-2 or more.
        float tolerance = 1e-5f * Math.max(1f, scale);
        assertTrue(err <= tolerance, name + ": logits max |Δ| " + err + " > " + tolerance);

        // the incremental decoder (key/value caches, position bias by step, packed decode weights) fed
        // generate()'s path step by step gives transformers' logits at every position of it
        int[] path = Golden.ints(file, "greedy_path");
        int steps = Golden.shape(file, "greedy_path")[1] - 1;
        float[] pathExpected = Golden.tensor(file, "greedy_path_logits").toArray();
        int vocab = c.vocabSize();
        float stepErr = 0;
        try (var _ = Autograd.noGrad()) {
            Tensor enc = model.encode(ids, mask, batch, length, Dropout.OFF);
            IncrementalDecoder decoder = model.startDecoding(enc, mask, 1, steps + 1);
            int[] tokens = new int[batch];
            for (int t = 0; t < steps; t++) {
                for (int r = 0; r < batch; r++) tokens[r] = path[r * (steps + 1) + t];
                float[] step = decoder.step(tokens).toArray();
                for (int r = 0; r < batch; r++) {
                    for (int v = 0; v < vocab; v++) {
                        float want = pathExpected[(r * steps + t) * vocab + v];
                        stepErr = Math.max(stepErr, Math.abs(step[r * vocab + v] - want));
                    }
                }
            }
        }
        // the same arithmetic as the teacher-forced logits, one position at a time: the same tolerance
        assertTrue(stepErr <= tolerance, name + ": incremental decode logits max |Δ| " + stepErr + " > " + tolerance);

        int maxNew = ref.get("max_new_tokens").intValue();
        assertEquals(ref.get("eos_token_id").intValue(), c.eosTokenId(), name + ": end token");
        Generated got = Generator.generate(model, ids, mask, batch, length, GenerationConfig.greedy(maxNew));
        JsonNode greedy = ref.get("greedy");
        // the script keeps only paths whose every choice won by ≥ 1e-3, far above the logits' error
        assertTrue(ref.get("greedy_min_margin").doubleValue() > 1e-3, name + ": reference path too close to call");
        for (int r = 0; r < batch; r++) {
            int[] want = new int[greedy.get(r).size()];
            for (int i = 0; i < want.length; i++) want[i] = greedy.get(r).get(i).intValue();
            assertArrayEquals(want, got.sequences().get(r), name + ": greedy ids of row " + r);
        }
        System.out.printf("%-24s logits max|Δ| %.2g, %d decode steps max|Δ| %.2g (max |logit| %.3g), greedy ids identical%n",
                name, err, steps, stepErr, scale);
    }

    /**
     * What Resumo writes of each variant (a fine-tuned GELU or SiLU model, an mT5, an untied
     * lm_head) loads back as the same model: config.json spells the feed-forward so that it parses
     * to the same activation and gating (dense_act_fn and is_gated_act agreeing with
     * feed_forward_proj, as transformers would read them too), an mT5 is written as a t5 whose
     * scale_decoder_outputs says false, and the reloaded weights compute the same logits bit for bit.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void savedByResumoLoadsBackAsTheSameModel(String name, @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        T5Model model = T5Checkpoint.load(root().resolve(name));
        T5Checkpoint.save(model, tmp);
        JsonNode written = JSON.readTree(tmp.resolve(T5Checkpoint.CONFIG).toFile());
        T5Config c = model.config();
        assertEquals(c.feedForward(), T5Config.FeedForward.parse(written.get("feed_forward_proj").textValue(), null, null),
                name + ": feed_forward_proj alone (as transformers reads it when dense_act_fn is absent) says the same");
        assertEquals(c.feedForward().activation(), T5Config.Activation.parse("dense_act_fn", written.get("dense_act_fn").textValue()),
                name + ": dense_act_fn");
        assertEquals(c.feedForward().gated(), written.get("is_gated_act").booleanValue(), name + ": is_gated_act");

        T5Model back = T5Checkpoint.load(tmp);
        assertEquals(c, back.config(), name + ": the same config after a save");
        assertEquals(model.parameters().keySet(), back.parameters().keySet(), name + ": the same parameters");
        Inputs in = Inputs.read(root().resolve(name).resolve("reference.safetensors"));
        assertArrayEquals(in.logits(model).toArray(), in.logits(back).toArray(),
                name + ": the same logits after a save (float32 written as is)");
    }

    /** A variant's recorded padded batch (reference.safetensors) and the logits a model gives for it. */
    record Inputs(int batch, int length, int[] ids, int[] mask, int target, int[] decoderIds) {
        static Inputs read(Path file) throws IOException {
            int[] shape = Golden.shape(file, "input_ids");
            return new Inputs(shape[0], shape[1], Golden.ints(file, "input_ids"), Golden.ints(file, "attention_mask"),
                    Golden.shape(file, "decoder_input_ids")[1], Golden.ints(file, "decoder_input_ids"));
        }

        Tensor logits(T5Model model) {
            try (var _ = Autograd.noGrad()) {
                Tensor enc = model.encode(ids, mask, batch, length, Dropout.OFF);
                return model.logits(model.decode(decoderIds, batch, target, enc, mask, Dropout.OFF));
            }
        }
    }
}
