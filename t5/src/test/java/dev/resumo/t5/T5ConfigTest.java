package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        assertTrue(error(tiny().put("feed_forward_proj", "gated-silu")).startsWith("feed_forward_proj: unsupported value \"gated-silu\""));
        assertTrue(error(tiny().put("feed_forward_proj", "gelu")).contains("feed_forward_proj"));
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

    @Test
    void malformedJsonIsOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"d_model\": 16,\n \"d_kv\": }");
        String msg = assertThrows(IllegalArgumentException.class, () -> T5Config.load(f)).getMessage();
        assertTrue(msg.startsWith(f + ": not valid JSON (line 2"), msg);
        assertFalse(msg.contains("\n"), "one line: " + msg);

        Files.writeString(f, tiny().put("feed_forward_proj", "swiglu").toString());
        String bad = assertThrows(IllegalArgumentException.class, () -> T5Config.load(f)).getMessage();
        assertEquals(f + ": feed_forward_proj: unsupported value \"swiglu\" (supported: \"relu\", \"gated-gelu\")", bad);
    }

    @Test
    void jsonRoundTrip(@TempDir Path dir) throws Exception {
        T5Config c = T5Config.fromJson(tiny().put("feed_forward_proj", "gated-gelu").put("tie_word_embeddings", false));
        Path f = dir.resolve("config.json");
        c.save(f);
        assertEquals(c, T5Config.load(f));
    }
}
