package dev.resumo.t5;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The architecture of a T5 checkpoint, as Hugging Face writes it in {@code config.json}. Field
 * names in errors are the JSON names, so a user can find the line to fix.
 *
 * @param scaleDecoderOutputs whether the decoder output is multiplied by d_model^-0.5 before the
 *     lm_head (the original T5 / PTT5 layout). transformers ≥ 5 writes it explicitly and always
 *     ties the embeddings; older configs leave it out and it then follows tie_word_embeddings.
 */
public record T5Config(
        int vocabSize,
        int dModel,
        int dKv,
        int dFf,
        int numLayers,
        int numDecoderLayers,
        int numHeads,
        int relativeAttentionNumBuckets,
        int relativeAttentionMaxDistance,
        FeedForward feedForward,
        boolean tieWordEmbeddings,
        boolean scaleDecoderOutputs,
        float layerNormEpsilon,
        float dropoutRate,
        int padTokenId,
        int eosTokenId,
        int decoderStartTokenId) {

    /** The feed-forward variants T5 checkpoints use. */
    public enum FeedForward {
        /** wi → ReLU → wo (T5 v1.0, PTT5). */
        RELU("relu"),
        /** gelu_new(wi_0 x) * wi_1 x → wo (T5 v1.1, mT5, ptt5-v2). */
        GATED_GELU("gated-gelu");

        public final String jsonName;

        FeedForward(String jsonName) {
            this.jsonName = jsonName;
        }

        static FeedForward parse(String s) {
            for (FeedForward f : values()) {
                if (f.jsonName.equals(s)) return f;
            }
            throw new IllegalArgumentException("feed_forward_proj: unsupported value \"" + s
                    + "\" (supported: \"relu\", \"gated-gelu\")");
        }
    }

    public T5Config {
        positive("vocab_size", vocabSize);
        positive("d_model", dModel);
        positive("d_kv", dKv);
        positive("d_ff", dFf);
        positive("num_layers", numLayers);
        positive("num_decoder_layers", numDecoderLayers);
        positive("num_heads", numHeads);
        if (feedForward == null) throw new IllegalArgumentException("feed_forward_proj: missing");
        if (relativeAttentionNumBuckets < 4 || relativeAttentionNumBuckets % 2 != 0) {
            throw new IllegalArgumentException("relative_attention_num_buckets: must be an even number ≥ 4, got "
                    + relativeAttentionNumBuckets);
        }
        // The log-spaced buckets start at num_buckets/2 (causal); the distance must exceed it.
        if (relativeAttentionMaxDistance <= relativeAttentionNumBuckets / 2) {
            throw new IllegalArgumentException("relative_attention_max_distance: must be > relative_attention_num_buckets/2 ("
                    + relativeAttentionNumBuckets / 2 + "), got " + relativeAttentionMaxDistance);
        }
        if (!(layerNormEpsilon > 0f) || !Float.isFinite(layerNormEpsilon)) {
            throw new IllegalArgumentException("layer_norm_epsilon: must be > 0, got " + layerNormEpsilon);
        }
        if (!(dropoutRate >= 0f && dropoutRate < 1f)) {
            throw new IllegalArgumentException("dropout_rate: must be in [0, 1), got " + dropoutRate);
        }
        tokenId("pad_token_id", padTokenId, vocabSize);
        tokenId("eos_token_id", eosTokenId, vocabSize);
        tokenId("decoder_start_token_id", decoderStartTokenId, vocabSize);
    }

    /** num_heads * d_kv: the width of q, k, v (need not equal d_model). */
    public int innerDim() {
        return numHeads * dKv;
    }

    private static void positive(String field, int v) {
        if (v <= 0) throw new IllegalArgumentException(field + ": must be > 0, got " + v);
    }

    private static void tokenId(String field, int v, int vocab) {
        if (v < 0 || v >= vocab) {
            throw new IllegalArgumentException(field + ": must be in [0, vocab_size=" + vocab + "), got " + v);
        }
    }

    // ---------------------------------------------------------------- JSON

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code config.json}; errors name the file and the field. */
    public static T5Config load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (line " + e.getLocation().getLineNr()
                    + ": " + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** Builds a config from a parsed config.json; unknown keys (HF writes many) are ignored. */
    public static T5Config fromJson(JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("expected a JSON object");
        String modelType = root.path("model_type").asText("t5");
        if (!modelType.equals("t5") && !modelType.equals("mt5")) {
            throw new IllegalArgumentException("model_type: unsupported value \"" + modelType + "\" (supported: t5, mt5)");
        }
        // T5 is an encoder-decoder; a config that says otherwise describes another architecture
        // (an encoder-only export), whose weights would load but whose outputs would be meaningless.
        if (!bool(root, "is_encoder_decoder", true)) {
            throw new IllegalArgumentException("is_encoder_decoder: must be true (T5 is an encoder-decoder model), got false");
        }
        int numLayers = requiredInt(root, "num_layers");
        boolean tie = bool(root, "tie_word_embeddings", true);
        return new T5Config(
                requiredInt(root, "vocab_size"),
                requiredInt(root, "d_model"),
                requiredInt(root, "d_kv"),
                requiredInt(root, "d_ff"),
                numLayers,
                optInt(root, "num_decoder_layers", numLayers),
                requiredInt(root, "num_heads"),
                optInt(root, "relative_attention_num_buckets", 32),
                optInt(root, "relative_attention_max_distance", 128),
                FeedForward.parse(text(root, "feed_forward_proj", "relu")),
                tie,
                bool(root, "scale_decoder_outputs", tie),
                (float) number(root, "layer_norm_epsilon", 1e-6),
                (float) number(root, "dropout_rate", 0.1),
                optInt(root, "pad_token_id", 0),
                optInt(root, "eos_token_id", 1),
                optInt(root, "decoder_start_token_id", optInt(root, "pad_token_id", 0)));
    }

    /** The config.json this record came from (the fields a loader needs, HF names). */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add("T5ForConditionalGeneration");
        o.put("model_type", "t5");
        o.put("vocab_size", vocabSize);
        o.put("d_model", dModel);
        o.put("d_kv", dKv);
        o.put("d_ff", dFf);
        o.put("num_layers", numLayers);
        o.put("num_decoder_layers", numDecoderLayers);
        o.put("num_heads", numHeads);
        o.put("relative_attention_num_buckets", relativeAttentionNumBuckets);
        o.put("relative_attention_max_distance", relativeAttentionMaxDistance);
        o.put("feed_forward_proj", feedForward.jsonName);
        o.put("is_gated_act", feedForward == FeedForward.GATED_GELU);
        o.put("dense_act_fn", feedForward == FeedForward.GATED_GELU ? "gelu_new" : "relu");
        o.put("tie_word_embeddings", tieWordEmbeddings);
        o.put("scale_decoder_outputs", scaleDecoderOutputs);
        o.put("layer_norm_epsilon", (double) layerNormEpsilon);
        o.put("dropout_rate", (double) dropoutRate);
        o.put("pad_token_id", padTokenId);
        o.put("eos_token_id", eosTokenId);
        o.put("decoder_start_token_id", decoderStartTokenId);
        o.put("is_encoder_decoder", true);
        return o;
    }

    public void save(Path file) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
    }

    private static int requiredInt(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw new IllegalArgumentException(field + ": missing");
        return asInt(n, field);
    }

    private static int optInt(JsonNode root, String field, int fallback) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? fallback : asInt(n, field);
    }

    private static int asInt(JsonNode n, String field) {
        // Some configs write eos_token_id as a one-element list.
        if (n.isArray() && n.size() == 1) n = n.get(0);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException(field + ": expected an integer, got " + n);
        }
        return n.intValue();
    }

    private static double number(JsonNode root, String field, double fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber()) throw new IllegalArgumentException(field + ": expected a number, got " + n);
        return n.doubleValue();
    }

    private static boolean bool(JsonNode root, String field, boolean fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isBoolean()) throw new IllegalArgumentException(field + ": expected true or false, got " + n);
        return n.booleanValue();
    }

    private static String text(JsonNode root, String field, String fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isTextual()) throw new IllegalArgumentException(field + ": expected a string, got " + n);
        return n.textValue();
    }
}
