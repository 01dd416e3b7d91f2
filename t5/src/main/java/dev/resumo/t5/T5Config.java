package dev.resumo.t5;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.engine.io.Dtype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The architecture of a T5 checkpoint, as Hugging Face writes it in {@code config.json}. Field
 * names in errors are the JSON names, so a user can find the line to fix.
 *
 * @param tieWordEmbeddings whether the lm_head is the shared embedding. config.json's value is
 *     where loading starts; {@link T5Model#of} settles it from the weights as transformers 5.24
 *     does (a checkpoint's own lm_head.weight that differs from shared.weight unties them, none
 *     ties them).
 * @param scaleDecoderOutputs whether the decoder output is multiplied by d_model^-0.5 before the
 *     lm_head (the original T5 / PTT5 layout). transformers ≥ 5 writes it explicitly and always
 *     ties the embeddings; older configs leave it out and it then follows tie_word_embeddings.
 *     mT5 never rescales.
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

    /** The activations of T5 feed-forward layers, by transformers' ACT2FN names. */
    public enum Activation {
        /** max(x, 0). */
        RELU("relu"),
        /** Exact GELU, x·Φ(x) (torch's gelu). */
        GELU("gelu", "gelu_python"),
        /** GELU's tanh approximation (T5 v1.1, mT5); the four names are one formula. */
        GELU_TANH("gelu_new", "gelu_pytorch_tanh", "gelu_python_tanh", "gelu_fast"),
        /** x·σ(x) (UL2, some t5-efficient checkpoints). */
        SILU("silu", "swish");

        /** The spelling written back to config.json (the first name). */
        public final String jsonName;
        private final String[] names;

        Activation(String... names) {
            this.jsonName = names[0];
            this.names = names;
        }

        /** The activation an ACT2FN name stands for; {@code field} names the config key in the error. */
        public static Activation parse(String field, String name) {
            for (Activation a : values()) {
                for (String n : a.names) {
                    if (n.equals(name)) return a;
                }
            }
            throw new IllegalArgumentException(field + ": unsupported activation \"" + name + "\" (supported: "
                    + supportedNames() + ")");
        }

        static String supportedNames() {
            StringBuilder b = new StringBuilder();
            for (Activation a : values()) {
                for (String n : a.names) b.append(b.isEmpty() ? "" : ", ").append(n);
            }
            return b.toString();
        }
    }

    /**
     * The feed-forward layer: wi → act → wo, or gated, act(wi_0 x) * wi_1 x → wo. Every pairing of
     * an activation and gating is a constant, so configs compare with {@code ==}.
     */
    public enum FeedForward {
        /** wi → ReLU → wo (T5 v1.0, PTT5). */
        RELU(Activation.RELU, false),
        GATED_RELU(Activation.RELU, true),
        GELU(Activation.GELU, false),
        GATED_GELU_EXACT(Activation.GELU, true),
        GELU_TANH(Activation.GELU_TANH, false),
        /** gelu_new(wi_0 x) * wi_1 x → wo (T5 v1.1, mT5, ptt5-v2: "gated-gelu"). */
        GATED_GELU(Activation.GELU_TANH, true),
        SILU(Activation.SILU, false),
        /** silu(wi_0 x) * wi_1 x → wo (UL2: "gated-silu"). */
        GATED_SILU(Activation.SILU, true);

        private final Activation activation;
        private final boolean gated;
        /** How config.json spells it: feed_forward_proj (transformers derives the rest from it). */
        public final String jsonName;

        FeedForward(Activation activation, boolean gated) {
            this.activation = activation;
            this.gated = gated;
            // "gated-gelu" is transformers' legacy spelling of the gated tanh GELU (every T5 v1.1 config
            // says it), so the gated exact GELU needs the other name of the exact one.
            String act = !gated ? activation.jsonName
                    : activation == Activation.GELU_TANH ? "gelu" : activation == Activation.GELU ? "gelu_python" : activation.jsonName;
            this.jsonName = (gated ? "gated-" : "") + act;
        }

        public Activation activation() {
            return activation;
        }

        /** Two input projections (wi_0 through the activation, wi_1 linear) instead of one (wi). */
        public boolean gated() {
            return gated;
        }

        public static FeedForward of(Activation activation, boolean gated) {
            for (FeedForward f : values()) {
                if (f.activation == activation && f.gated == gated) return f;
            }
            throw new AssertionError(activation + (gated ? " gated" : ""));
        }

        /**
         * transformers 5.24's rule (T5Config.__post_init__): feed_forward_proj is "ACT" or
         * "gated-ACT", and "gated-gelu" means gelu_new; dense_act_fn and is_gated_act, where
         * config.json has them, override what it says.
         *
         * @param proj feed_forward_proj (the model type's default when absent)
         * @param denseActFn dense_act_fn, or null when absent
         * @param isGatedAct is_gated_act, or null when absent
         */
        static FeedForward parse(String proj, String denseActFn, Boolean isGatedAct) {
            String[] parts = proj.split("-", -1);
            if (parts.length > 2 || (parts.length == 2 && !parts[0].equals("gated"))) {
                throw new IllegalArgumentException("feed_forward_proj: unsupported value \"" + proj
                        + "\" (expected ACT or gated-ACT, ACT one of " + Activation.supportedNames() + ")");
            }
            boolean gated = isGatedAct != null ? isGatedAct : parts[0].equals("gated");
            Activation act;
            if (denseActFn != null) {
                act = Activation.parse("dense_act_fn", denseActFn);
            } else {
                String name = proj.equals("gated-gelu") ? "gelu_new" : parts[parts.length - 1];
                try {
                    act = Activation.parse("feed_forward_proj", name);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("feed_forward_proj: unsupported value \"" + proj
                            + "\" (expected ACT or gated-ACT, ACT one of " + Activation.supportedNames() + ")");
                }
            }
            return of(act, gated);
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

    /** This config with the lm_head tied to the shared embedding or not (the rescale unchanged). */
    public T5Config withTieWordEmbeddings(boolean tie) {
        if (tie == tieWordEmbeddings) return this;
        return new T5Config(vocabSize, dModel, dKv, dFf, numLayers, numDecoderLayers, numHeads, relativeAttentionNumBuckets,
                relativeAttentionMaxDistance, feedForward, tie, scaleDecoderOutputs, layerNormEpsilon, dropoutRate, padTokenId,
                eosTokenId, decoderStartTokenId);
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
                    + ": " + JsonErrors.reason(e) + ")");
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
        String modelType = text(root, "model_type", "t5");
        refuseOtherArchitectures(modelType);
        refuseQuantized(root.get("quantization_config"));
        boolean mt5 = modelType.equals("mt5");
        // T5 is an encoder-decoder; a config that says otherwise describes another architecture
        // (an encoder-only export), whose weights would load but whose outputs would be meaningless.
        if (!bool(root, "is_encoder_decoder", true)) {
            throw new IllegalArgumentException("is_encoder_decoder: must be true (T5 is an encoder-decoder model), got false");
        }
        int numLayers = requiredInt(root, "num_layers");
        boolean tie = bool(root, "tie_word_embeddings", true);
        // mT5's defaults differ from T5's: gated-gelu, and the decoder output is never rescaled
        // (MT5ForConditionalGeneration has no rescale; T5's follows scale_decoder_outputs, else the tie).
        FeedForward feedForward = FeedForward.parse(text(root, "feed_forward_proj", mt5 ? "gated-gelu" : "relu"),
                text(root, "dense_act_fn", null), optBool(root, "is_gated_act"));
        boolean scale = !mt5 && bool(root, "scale_decoder_outputs", tie);
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
                feedForward,
                tie,
                scale,
                (float) number(root, "layer_norm_epsilon", 1e-6),
                (float) number(root, "dropout_rate", 0.1),
                optInt(root, "pad_token_id", 0),
                optInt(root, "eos_token_id", 1),
                optInt(root, "decoder_start_token_id", optInt(root, "pad_token_id", 0)));
    }

    /**
     * Model types whose checkpoints look like T5's but compute something else: loading their
     * weights as a T5 would give wrong outputs (or fail later with a puzzling missing tensor).
     */
    private static void refuseOtherArchitectures(String modelType) {
        String why = switch (modelType) {
            case "t5", "mt5" -> null;
            case "umt5" -> "umT5 gives every layer its own relative position bias, T5 only the first";
            case "longt5" -> "LongT5 uses local / transient-global attention";
            case "switch_transformers" -> "Switch Transformers replace feed-forward layers with mixture-of-experts routers";
            default -> "not a T5 architecture";
        };
        if (why != null) {
            throw new IllegalArgumentException("model_type: unsupported value \"" + modelType + "\" (" + why
                    + "; supported: t5, mt5)");
        }
    }

    /**
     * A quantized checkpoint (FP8 with weight_scale / weight_scale_inv tensors, bitsandbytes, GPTQ,
     * AWQ, ...) stores weights that mean something only once its scales are applied, which Resumo
     * does not do: refused here, before its tensors are read, rather than loaded as wrong numbers
     * (FP8 weights would convert, and the scales show up as unexpected tensors at best). A plain
     * float8 checkpoint, with no quantization_config, loads: its values are the weights.
     */
    private static void refuseQuantized(JsonNode quantization) {
        if (quantization == null || quantization.isNull()) return;
        JsonNode method = quantization.get("quant_method");
        String which = method != null && method.isTextual() ? " (quant_method \"" + method.textValue() + "\")" : "";
        throw new IllegalArgumentException("quantization_config: a quantized checkpoint" + which + " is not supported:"
                + " Resumo cannot apply its scales; use the unquantized model, or dequantize it and save_pretrained it"
                + " in float32 or bfloat16");
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
        o.put("is_gated_act", feedForward.gated());
        o.put("dense_act_fn", feedForward.activation().jsonName);
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

    /**
     * Writes config.json for weights stored as {@code weights}: its {@code dtype} names them
     * ("float32", "bfloat16", "float16"), as transformers 5 writes it (4.x wrote
     * {@code torch_dtype}; both are read, and ignored: Resumo computes in float32 whatever the
     * file holds). transformers' from_pretrained loads a folder in the dtype its config names, so a
     * config naming another than the weights' would load them converted.
     */
    public void save(Path file, Dtype weights) throws IOException {
        ObjectNode json = toJson();
        json.put("dtype", weights.torchName());
        try {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            // A full disk fails the write with a bare "No space left on device": name the file, as the
            // weights' writer does, so the error says which one could not be written.
            java.nio.file.FileSystemException named = new java.nio.file.FileSystemException(file.toString(), null, e.getMessage());
            named.initCause(e);
            throw named;
        }
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

    private static Boolean optBool(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : bool(root, field, false);
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
