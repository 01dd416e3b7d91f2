package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.engine.io.Dtype;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class T5ConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode tiny() {
        ObjectNode o = JSON.createObjectNode();
        o.put("vocab_size", 100);
        o.put("d_model", 16);
        o.put("d_kv", 4);
        o.put("d_ff", 32);
        o.put("num_layers", 2);
        o.put("num_heads", 4);
        o.put("relative_attention_num_buckets", 8);
        o.put("relative_attention_max_distance", 20);
        o.put("feed_forward_proj", "relu");
        o.put("dropout_rate", 0.0);
        return o;
    }

    private static String error(ObjectNode o) {
        return assertThrows(IllegalArgumentException.class, () -> T5Config.fromJson(o)).getMessage();
    }

    /** A full disk (/dev/full: every write fails with ENOSPC) names config.json, as the weights' writer names its file. */
    @Test
    void savingOnAFullDiskNamesTheFile(@TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs Linux's /dev/full");
        Path file = Files.createSymbolicLink(tmp.resolve("config.json"), Path.of("/dev/full"));
        T5Config config = T5Config.fromJson(tiny());
        java.nio.file.FileSystemException e = assertThrows(java.nio.file.FileSystemException.class, () -> config.save(file, Dtype.F32));
        assertEquals(file.toString(), e.getFile());
        assertEquals("No space left on device", e.getReason());
    }

    @Test
    void defaultsFollowTransformers() {
        T5Config c = T5Config.fromJson(tiny());
        assertEquals(2, c.numDecoderLayers(), "num_decoder_layers defaults to num_layers");
        assertTrue(c.tieWordEmbeddings());
        assertTrue(c.scaleDecoderOutputs(), "tied embeddings imply the d_model^-0.5 rescale when the key is absent");
        assertEquals(0, c.padTokenId());
        assertEquals(1, c.eosTokenId());
        assertEquals(0, c.decoderStartTokenId(), "decoder_start_token_id defaults to pad");
        assertEquals(1e-6f, c.layerNormEpsilon());

        ObjectNode untied = tiny().put("tie_word_embeddings", false).put("feed_forward_proj", "gated-gelu");
        T5Config v11 = T5Config.fromJson(untied);
        assertFalse(v11.scaleDecoderOutputs());
        assertEquals(T5Config.FeedForward.GATED_GELU, v11.feedForward());

        // transformers ≥ 5 writes tie_word_embeddings=true and says scale_decoder_outputs explicitly
        T5Config v5 = T5Config.fromJson(tiny().put("scale_decoder_outputs", false));
        assertTrue(v5.tieWordEmbeddings());
        assertFalse(v5.scaleDecoderOutputs());

        T5Config eosList = T5Config.fromJson((ObjectNode) tiny().set("eos_token_id", JSON.createArrayNode().add(1)));
        assertEquals(1, eosList.eosTokenId());
    }

    @Test
    void unsupportedOrInvalidValuesNameTheField() {
        assertTrue(error((ObjectNode) tiny().without("d_model")).equals("d_model: missing"));
        assertTrue(error(tiny().put("num_heads", 0)).startsWith("num_heads: must be > 0"));
        assertTrue(error(tiny().put("d_kv", "eight")).startsWith("d_kv: expected an integer"));
        assertTrue(error(tiny().put("eos_token_id", 100)).startsWith("eos_token_id: must be in [0, vocab_size=100)"));
        assertTrue(error(tiny().put("dropout_rate", 1.0)).startsWith("dropout_rate"));
        assertTrue(error(tiny().put("layer_norm_epsilon", 0.0)).startsWith("layer_norm_epsilon"));
        assertTrue(error(tiny().put("relative_attention_num_buckets", 7)).startsWith("relative_attention_num_buckets"));
        assertTrue(error(tiny().put("relative_attention_max_distance", 4)).startsWith("relative_attention_max_distance"));
        assertTrue(error(tiny().put("tie_word_embeddings", "yes")).startsWith("tie_word_embeddings: expected true or false"));
        assertTrue(error(tiny().put("model_type", "bart")).startsWith("model_type: unsupported value \"bart\""));
    }

    private static T5Config.FeedForward ff(String proj) {
        return T5Config.fromJson(tiny().put("feed_forward_proj", proj)).feedForward();
    }

    @Test
    void feedForwardProjIsReadAsTransformers524ReadsIt() {
        // T5Config.__post_init__: "ACT" or "gated-ACT"; "gated-gelu" alone is the tanh GELU (gelu_new).
        assertEquals(T5Config.FeedForward.RELU, ff("relu"));
        assertEquals(T5Config.FeedForward.GATED_RELU, ff("gated-relu"));
        assertEquals(T5Config.FeedForward.GELU, ff("gelu"), "plain gelu is torch's exact (erf) GELU");
        assertEquals(T5Config.FeedForward.GATED_GELU, ff("gated-gelu"));
        assertEquals(T5Config.FeedForward.GATED_GELU, ff("gated-gelu_new"));
        assertEquals(T5Config.FeedForward.GATED_GELU, ff("gated-gelu_pytorch_tanh"));
        assertEquals(T5Config.FeedForward.GELU_TANH, ff("gelu_new"));
        assertEquals(T5Config.FeedForward.GELU_TANH, ff("gelu_pytorch_tanh"));
        assertEquals(T5Config.FeedForward.GELU_TANH, ff("gelu_fast"));
        assertEquals(T5Config.FeedForward.GATED_GELU_EXACT, ff("gated-gelu_python"));
        assertEquals(T5Config.FeedForward.GATED_SILU, ff("gated-silu"));
        assertEquals(T5Config.FeedForward.SILU, ff("swish"));

        // dense_act_fn / is_gated_act in config.json override feed_forward_proj (transformers sets them after it)
        assertEquals(T5Config.FeedForward.GATED_GELU_EXACT,
                T5Config.fromJson(tiny().put("feed_forward_proj", "relu").put("dense_act_fn", "gelu").put("is_gated_act", true))
                        .feedForward());
        assertEquals(T5Config.FeedForward.GELU_TANH,
                T5Config.fromJson(tiny().put("feed_forward_proj", "gated-gelu").put("is_gated_act", false)).feedForward());

        // the shapes transformers refuses, and activations Resumo does not have: one line naming key and value
        for (String bad : new String[] {"ungated-gelu", "gated-gelu-new", "gelu-new", "gated-", "quick_gelu", "gated-tanh", "Relu"}) {
            String msg = error(tiny().put("feed_forward_proj", bad));
            assertTrue(msg.startsWith("feed_forward_proj: unsupported value \"" + bad + "\" (expected ACT or gated-ACT"), msg);
        }
        assertEquals("dense_act_fn: unsupported activation \"quick_gelu\" (supported: relu, gelu, gelu_python, gelu_new, "
                + "gelu_pytorch_tanh, gelu_python_tanh, gelu_fast, silu, swish)",
                error(tiny().put("feed_forward_proj", "gated-gelu").put("dense_act_fn", "quick_gelu")));
        assertTrue(error(tiny().put("is_gated_act", "yes")).startsWith("is_gated_act: expected true or false"));
    }

    @Test
    void roundTripKeepsEveryFeedForward(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config.json");
        for (T5Config.FeedForward feedForward : T5Config.FeedForward.values()) {
            // the spelling alone must say which it is (transformers reads it without dense_act_fn)
            T5Config c = T5Config.fromJson(tiny().put("feed_forward_proj", feedForward.jsonName));
            assertEquals(feedForward, c.feedForward());
            c.save(f, Dtype.F32);
            assertEquals(c, T5Config.load(f), feedForward.name());
        }
    }

    @Test
    void mt5HasItsOwnDefaultsAndNeverRescales() {
        // MT5Config: feed_forward_proj defaults to gated-gelu; MT5ForConditionalGeneration has no d_model^-0.5 rescale
        T5Config mt5 = T5Config.fromJson((ObjectNode) tiny().put("model_type", "mt5").without("feed_forward_proj"));
        assertEquals(T5Config.FeedForward.GATED_GELU, mt5.feedForward());
        assertTrue(mt5.tieWordEmbeddings());
        assertFalse(mt5.scaleDecoderOutputs(), "tied mT5 (as transformers 5 saves it) is not rescaled");
        assertFalse(T5Config.fromJson(tiny().put("model_type", "mt5").put("scale_decoder_outputs", true)).scaleDecoderOutputs());
        // T5 without the key: relu, and the rescale follows the tie
        assertEquals(T5Config.FeedForward.RELU, T5Config.fromJson((ObjectNode) tiny().without("feed_forward_proj")).feedForward());
    }

    @Test
    void olderConfigsWithoutMaxDistanceGet128() {
        ObjectNode old = (ObjectNode) tiny().without("relative_attention_max_distance");
        assertEquals(128, T5Config.fromJson(old).relativeAttentionMaxDistance());
        assertEquals(32, T5Config.fromJson((ObjectNode) old.without("relative_attention_num_buckets")).relativeAttentionNumBuckets());
    }

    @Test
    void t5LookalikesAreRefusedSayingWhy() {
        assertEquals("model_type: unsupported value \"umt5\" (umT5 gives every layer its own relative position bias, T5 only "
                + "the first; supported: t5, mt5)", error(tiny().put("model_type", "umt5")));
        assertEquals("model_type: unsupported value \"longt5\" (LongT5 uses local / transient-global attention; supported: t5, mt5)",
                error(tiny().put("model_type", "longt5")));
        assertEquals("model_type: unsupported value \"switch_transformers\" (Switch Transformers replace feed-forward layers "
                + "with mixture-of-experts routers; supported: t5, mt5)", error(tiny().put("model_type", "switch_transformers")));
        assertTrue(error(tiny().put("model_type", 5)).startsWith("model_type: expected a string"));
    }

    /** HF FP8 (and other quantized) checkpoints need their scales applied: refused, not loaded as wrong numbers. */
    @Test
    void quantizedCheckpointsAreRefusedNamingTheMethod() {
        ObjectNode fp8 = tiny();
        fp8.putObject("quantization_config").put("quant_method", "fp8").put("activation_scheme", "dynamic")
                .putArray("weight_block_size").add(128).add(128);
        assertEquals("quantization_config: a quantized checkpoint (quant_method \"fp8\") is not supported: Resumo cannot apply"
                + " its scales; use the unquantized model, or dequantize it and save_pretrained it in float32 or bfloat16", error(fp8));
        ObjectNode unnamed = tiny();
        unnamed.putObject("quantization_config").put("bits", 4);
        assertTrue(error(unnamed).startsWith("quantization_config: a quantized checkpoint is not supported"), error(unnamed));
        T5Config.fromJson(tiny().putNull("quantization_config")); // what an unquantized save may write
    }

    /** transformers 5 writes "dtype", 4.x "torch_dtype"; either (and any dtype) reads as the same config. */
    @Test
    void configsNamingTheirDtypeEitherWayLoad() {
        T5Config plain = T5Config.fromJson(tiny());
        for (String key : new String[] {"dtype", "torch_dtype"}) {
            for (String dtype : new String[] {"float32", "bfloat16", "float16", "float8_e4m3fn"}) {
                assertEquals(plain, T5Config.fromJson(tiny().put(key, dtype)), key + " " + dtype);
            }
        }
        assertEquals(plain, T5Config.fromJson(tiny().put("dtype", "bfloat16").put("torch_dtype", "bfloat16")));
    }

    @Test
    void malformedJsonIsOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"d_model\": 16,\n \"d_kv\": }");
        String msg = assertThrows(IllegalArgumentException.class, () -> T5Config.load(f)).getMessage();
        assertTrue(msg.startsWith(f + ": not valid JSON (line 2"), msg);
        assertFalse(msg.contains("\n"), "one line: " + msg);

        Files.writeString(f, tiny().put("feed_forward_proj", "swiglu").toString());
        String bad = assertThrows(IllegalArgumentException.class, () -> T5Config.load(f)).getMessage();
        assertEquals(f + ": feed_forward_proj: unsupported value \"swiglu\" (expected ACT or gated-ACT, ACT one of relu, gelu, "
                + "gelu_python, gelu_new, gelu_pytorch_tanh, gelu_python_tanh, gelu_fast, silu, swish)", bad);
    }

    @Test
    void jsonRoundTrip(@TempDir Path dir) throws Exception {
        T5Config c = T5Config.fromJson(tiny().put("feed_forward_proj", "gated-gelu").put("tie_word_embeddings", false));
        Path f = dir.resolve("config.json");
        c.save(f, Dtype.F32);
        assertEquals(c, T5Config.load(f));
    }
}
