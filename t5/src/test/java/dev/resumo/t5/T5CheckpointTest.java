package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Dtype;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.io.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class T5CheckpointTest {

    @Test
    void saveThenLoadGivesTheSameModel(@TempDir Path dir) throws Exception {
        for (T5Model model : new T5Model[] {TinyModels.relu(4), TinyModels.gatedUntied(5)}) {
            Path out = dir.resolve(model.config().feedForward().jsonName);
            T5Checkpoint.save(model, out);
            T5Model back = T5Checkpoint.load(out);
            assertEquals(model.config(), back.config());
            assertEquals(model.parameters().keySet(), back.parameters().keySet());
            for (String name : model.parameters().keySet()) {
                assertArrayEquals(model.parameters().get(name).toArray(), back.parameters().get(name).toArray(), name);
            }
            assertEquals(!model.config().tieWordEmbeddings(), back.parameters().containsKey(T5ParameterNames.LM_HEAD));
        }
    }

    @Test
    void aShardedFolderLoadsAsTheSameModel(@TempDir Path dir) throws Exception {
        // Large checkpoints come as model.safetensors.index.json + shards (what `resumo fetch` downloads).
        T5Model model = TinyModels.gatedUntied(7);
        Path single = dir.resolve("single");
        T5Checkpoint.save(model, single);
        Map<String, Tensor> all = Safetensors.readAll(single.resolve(T5Checkpoint.WEIGHTS));
        Path sharded = dir.resolve("sharded");
        Files.createDirectories(sharded);
        Files.copy(single.resolve(T5Checkpoint.CONFIG), sharded.resolve(T5Checkpoint.CONFIG));
        Map<String, Tensor> first = new LinkedHashMap<>(), second = new LinkedHashMap<>();
        StringBuilder map = new StringBuilder();
        int i = 0;
        for (var e : all.entrySet()) {
            boolean inFirst = i++ % 2 == 0;
            (inFirst ? first : second).put(e.getKey(), e.getValue());
            map.append(map.isEmpty() ? "" : ", ").append('"').append(e.getKey()).append("\": \"")
                    .append(inFirst ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors").append('"');
        }
        Safetensors.write(sharded.resolve("model-00001-of-00002.safetensors"), first);
        Safetensors.write(sharded.resolve("model-00002-of-00002.safetensors"), second);
        Files.writeString(sharded.resolve(T5Checkpoint.SHARD_INDEX), "{\"metadata\": {}, \"weight_map\": {" + map + "}}");

        T5Model back = T5Checkpoint.load(sharded);
        assertEquals(model.parameters().keySet(), back.parameters().keySet());
        for (String name : model.parameters().keySet()) {
            assertArrayEquals(model.parameters().get(name).toArray(), back.parameters().get(name).toArray(), name);
        }
    }

    @Test
    void bf16SaveStoresEveryValueRoundedToBfloat16(@TempDir Path dir) throws Exception {
        T5Model model = TinyModels.gatedUntied(6);
        T5Checkpoint.save(model, dir.resolve("f32"));
        T5Checkpoint.save(model, dir.resolve("bf16"), Dtype.BF16);
        T5Model back = T5Checkpoint.load(dir.resolve("bf16"));
        for (String name : model.parameters().keySet()) {
            float[] original = model.parameters().get(name).toArray();
            float[] stored = back.parameters().get(name).toArray();
            for (int i = 0; i < original.length; i++) {
                // bfloat16 keeps 8 significant bits (7 stored): round to nearest is within half an ulp, 2^-8 relative.
                assertEquals(original[i], stored[i], Math.abs(original[i]) * 0x1p-8f, name + "[" + i + "]");
                assertEquals(0, Float.floatToRawIntBits(stored[i]) & 0xFFFF, name + "[" + i + "] is not a bfloat16 value");
            }
        }
        long f32 = Files.size(dir.resolve("f32").resolve(T5Checkpoint.WEIGHTS));
        long bf16 = Files.size(dir.resolve("bf16").resolve(T5Checkpoint.WEIGHTS));
        assertTrue(bf16 < f32 * 0.55, "bf16 file " + bf16 + " bytes vs f32 " + f32);
    }

    /**
     * config.json names the dtype the weights were saved in, as transformers 5 writes it: from_pretrained
     * loads a folder in the dtype its config names (weights-tools/check_saved_dtype.py checks this in
     * transformers 5.24). Resumo wrote none.
     */
    @Test
    void theSavedConfigNamesTheWeightsDtype(@TempDir Path dir) throws Exception {
        T5Model model = TinyModels.gatedUntied(9);
        Map<Dtype, String> expected = Map.of(Dtype.F32, "float32", Dtype.BF16, "bfloat16", Dtype.F16, "float16");
        for (var e : expected.entrySet()) {
            Path out = dir.resolve(e.getValue());
            T5Checkpoint.save(model, out, e.getKey());
            var config = new ObjectMapper().readTree(out.resolve(T5Checkpoint.CONFIG).toFile());
            assertEquals(e.getValue(), config.path("dtype").asText(), config.toString());
            assertFalse(config.has("torch_dtype"), "one key, as transformers 5 writes");
            try (var weights = SafetensorsFile.open(out.resolve(T5Checkpoint.WEIGHTS))) {
                for (var info : weights.infos()) assertEquals(e.getKey(), info.dtype(), info.name());
            }
            assertEquals(model.config(), T5Checkpoint.load(out).config(), "the dtype key reads back");
        }
        T5Checkpoint.save(model, dir.resolve("default"));
        assertEquals("float32", new ObjectMapper()
                .readTree(dir.resolve("default").resolve(T5Checkpoint.CONFIG).toFile()).path("dtype").asText());
    }

    /** Writes {@code model}'s config (with config.json's tie_word_embeddings set to {@code tie}) and these tensors. */
    private static Path folder(Path dir, T5Model model, boolean tie, Map<String, Tensor> tensors) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(T5Checkpoint.CONFIG), model.config().toJson().put("tie_word_embeddings", tie).toString());
        Safetensors.write(dir.resolve(T5Checkpoint.WEIGHTS), tensors);
        return dir;
    }

    @Test
    void theLmHeadIsTiedByTheWeightsAsTransformersTiesIt(@TempDir Path dir) throws Exception {
        T5Model untied = TinyModels.gatedUntied(8);
        Tensor shared = untied.parameters().get(T5ParameterNames.SHARED);

        // config says untied, the file has no lm_head: transformers 5.24 ties it to shared.weight
        Map<String, Tensor> noHead = new LinkedHashMap<>(untied.parameters());
        noHead.remove(T5ParameterNames.LM_HEAD);
        T5Model tied = T5Checkpoint.load(folder(dir.resolve("no-head"), untied, false, noHead));
        assertTrue(tied.config().tieWordEmbeddings());
        assertFalse(tied.parameters().containsKey(T5ParameterNames.LM_HEAD));
        assertFalse(tied.config().scaleDecoderOutputs(), "the rescale is config.json's, not the tie's");

        // config says tied (as transformers 5 always writes), the file has an lm_head of its own: untied
        T5Model own = T5Checkpoint.load(folder(dir.resolve("own-head"), untied, true, untied.parameters()));
        assertFalse(own.config().tieWordEmbeddings());
        assertArrayEquals(untied.parameters().get(T5ParameterNames.LM_HEAD).toArray(),
                own.parameters().get(T5ParameterNames.LM_HEAD).toArray());

        // an lm_head equal to shared.weight (old .bin files store every alias) is the tied one
        Map<String, Tensor> copy = new LinkedHashMap<>(noHead);
        copy.put(T5ParameterNames.LM_HEAD, Tensor.of(shared.toArray(), shared.shape()));
        T5Model aliased = T5Checkpoint.load(folder(dir.resolve("copy"), untied, false, copy));
        assertTrue(aliased.config().tieWordEmbeddings());
        assertEquals(untied.parameters().size() - 1, aliased.parameters().size());
    }

    @Test
    void namesUnderTheBaseModelPrefixLoadAsTransformersLoadsThem(@TempDir Path dir) throws Exception {
        // transformers 5.24 loads a T5 whose names all (or some) start with "transformer." (T5's
        // base_model_prefix) with nothing missing (weights-tools/fuzz_checkpoint_parity.py, folder
        // "prefixed"); Resumo reported every parameter missing.
        T5Model model = TinyModels.gatedUntied(5);
        Map<String, Tensor> prefixed = new LinkedHashMap<>();
        boolean every = true;
        for (var e : model.parameters().entrySet()) {
            prefixed.put((every ? "transformer." : "") + e.getKey(), e.getValue());
            every = !every; // a mix: transformers renames name by name
        }
        T5Model loaded = T5Checkpoint.load(folder(dir.resolve("prefixed"), model, false, prefixed));
        assertEquals(model.parameters().keySet(), loaded.parameters().keySet());
        for (var e : model.parameters().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), loaded.parameters().get(e.getKey()).toArray(), 0f, e.getKey());
        }

        // a prefixed name whose rest is no T5 parameter stays as it is, and is named
        Map<String, Tensor> stray = new LinkedHashMap<>(model.parameters());
        stray.put("transformer.pooler.weight", Tensor.zeros(2));
        String unexpected = assertThrows(IllegalArgumentException.class,
                () -> T5Checkpoint.load(folder(dir.resolve("stray"), model, false, stray))).getMessage();
        assertTrue(unexpected.contains("unexpected parameter transformer.pooler.weight"), unexpected);

        // the same parameter with and without the prefix is ambiguous
        Map<String, Tensor> both = new LinkedHashMap<>(model.parameters());
        both.put("transformer.shared.weight", model.parameters().get(T5ParameterNames.SHARED));
        String twice = assertThrows(IllegalArgumentException.class,
                () -> T5Checkpoint.load(folder(dir.resolve("both"), model, false, both))).getMessage();
        assertTrue(twice.endsWith("the checkpoint holds both shared.weight and transformer.shared.weight: the same parameter"
                + " with and without the 'transformer.' prefix"), twice);
    }

    @Test
    void strayAndConflictingEmbeddingsAreNamed(@TempDir Path dir) throws Exception {
        T5Model model = TinyModels.relu(9);
        Tensor shared = model.parameters().get(T5ParameterNames.SHARED);

        // t5-small's files carry a cross-attention bias table transformers ignores: so does Resumo
        Map<String, Tensor> legacy = new LinkedHashMap<>(model.parameters());
        legacy.put("decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight", Tensor.zeros(8, 4));
        assertEquals(model.parameters().keySet(), T5Checkpoint.load(folder(dir.resolve("legacy"), model, true, legacy))
                .parameters().keySet());

        // a per-layer bias table elsewhere (umT5's layout) is not T5's
        Map<String, Tensor> umt5 = new LinkedHashMap<>(model.parameters());
        umt5.put("encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight", Tensor.zeros(8, 4));
        String stray = assertThrows(IllegalArgumentException.class,
                () -> T5Checkpoint.load(folder(dir.resolve("umt5"), model, true, umt5))).getMessage();
        assertTrue(stray.contains("unexpected parameter encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight"), stray);

        // an input embedding that differs from shared.weight would be used untied by transformers
        Map<String, Tensor> ownEmbed = new LinkedHashMap<>(model.parameters());
        ownEmbed.put("decoder.embed_tokens.weight", Tensor.zeros(shared.shape()));
        String conflict = assertThrows(IllegalArgumentException.class,
                () -> T5Checkpoint.load(folder(dir.resolve("own-embed"), model, true, ownEmbed))).getMessage();
        assertTrue(conflict.endsWith("decoder.embed_tokens.weight differs from shared.weight: a T5 whose decoder has its own "
                + "input embedding is not supported (one embedding serves encoder, decoder and the tied lm_head)"), conflict);
        assertFalse(conflict.contains("\n"));

        // no embedding under any name: shared.weight is the one named
        Map<String, Tensor> none = new LinkedHashMap<>(model.parameters());
        none.remove(T5ParameterNames.SHARED);
        String missing = assertThrows(IllegalArgumentException.class,
                () -> T5Checkpoint.load(folder(dir.resolve("none"), model, true, none))).getMessage();
        assertTrue(missing.endsWith("1 parameter(s) missing from the checkpoint, e.g. shared.weight"), missing);
    }

    @Test
    void checkpointProblemsAreNamed(@TempDir Path dir) throws Exception {
        T5Model model = TinyModels.relu(6);
        T5Checkpoint.save(model, dir);

        Map<String, Tensor> params = new LinkedHashMap<>(model.parameters());
        params.remove("decoder.final_layer_norm.weight");
        Safetensors.write(dir.resolve("model.safetensors"), params);
        String missing = assertThrows(IllegalArgumentException.class, () -> T5Checkpoint.load(dir)).getMessage();
        assertTrue(missing.contains("missing") && missing.contains("decoder.final_layer_norm.weight"), missing);

        params = new LinkedHashMap<>(model.parameters());
        params.put("encoder.final_layer_norm.weight", Tensor.zeros(17));
        Safetensors.write(dir.resolve("model.safetensors"), params);
        String shape = assertThrows(IllegalArgumentException.class, () -> T5Checkpoint.load(dir)).getMessage();
        assertTrue(shape.contains("encoder.final_layer_norm.weight has shape [17]"), shape);

        params = new LinkedHashMap<>(model.parameters());
        params.put("encoder.block.0.layer.1.DenseReluDense.wi_0.weight", Tensor.zeros(32, 16));
        Safetensors.write(dir.resolve("model.safetensors"), params);
        String extra = assertThrows(IllegalArgumentException.class, () -> T5Checkpoint.load(dir)).getMessage();
        assertTrue(extra.contains("unexpected parameter encoder.block.0.layer.1.DenseReluDense.wi_0.weight"), extra);

        Path configFolder = dir.resolve("config-folder");
        Files.createDirectories(configFolder.resolve("config.json"));
        assertEquals(configFolder.resolve("config.json") + ": is a folder, not a file",
                assertThrows(IllegalArgumentException.class, () -> T5Checkpoint.load(configFolder)).getMessage());
        assertEquals(dir.resolve("empty") + ": no config.json", assertThrows(IllegalArgumentException.class,
                () -> T5Checkpoint.load(Files.createDirectories(dir.resolve("empty")))).getMessage());

        Files.delete(dir.resolve("model.safetensors"));
        String none = assertThrows(IllegalArgumentException.class, () -> T5Checkpoint.load(dir)).getMessage();
        assertTrue(none.endsWith("no model.safetensors (nor model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json)"), none);
    }

    /** NaN or infinite weights are refused at load, naming the tensor; before, every summary came out empty. */
    @Test
    void nonFiniteWeightsAreNamed(@TempDir Path dir) throws Exception {
        T5Model model = TinyModels.relu(6);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Map<String, Tensor> params = new LinkedHashMap<>(model.parameters());
            Tensor wo = params.get("decoder.block.1.layer.2.DenseReluDense.wo.weight");
            float[] values = wo.toArray();
            values[37] = bad;
            values[values.length - 1] = bad;
            params.put("decoder.block.1.layer.2.DenseReluDense.wo.weight", Tensor.of(values, wo.shape()));
            Path folder = dir.resolve("bad" + bad);
            T5Checkpoint.save(model, folder);
            Safetensors.write(folder.resolve("model.safetensors"), params);
            String msg = assertThrows(IllegalArgumentException.class, () -> T5Checkpoint.load(folder)).getMessage();
            assertEquals(folder + ": tensor \"decoder.block.1.layer.2.DenseReluDense.wo.weight\" holds 2 NaN or infinite values "
                    + "(the first at flat index 37, " + bad + "); the checkpoint is damaged or comes from a run that diverged", msg);
        }
        Path good = dir.resolve("good");
        T5Checkpoint.save(model, good);
        assertEquals(model.parameters().keySet(), T5Checkpoint.load(good).parameters().keySet());
    }
}
