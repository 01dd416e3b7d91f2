package dev.resumo.bench.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.t5.T5Config;

/** The model shapes `bench compare` times: PTT5-small and PTT5-base (ReLU, tied, vocab 32128). */
public final class ModelShapes {
    private ModelShapes() {}

    /** @param size "small" or "base" */
    public static T5Config of(String size) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("model_type", "t5");
        o.put("vocab_size", 32128);
        o.put("feed_forward_proj", "relu");
        o.put("tie_word_embeddings", true);
        o.put("dropout_rate", 0.0);
        o.put("d_kv", 64);
        o.put("relative_attention_num_buckets", 32);
        o.put("relative_attention_max_distance", 128);
        o.put("decoder_start_token_id", 0);
        o.put("pad_token_id", 0);
        o.put("eos_token_id", 1);
        switch (size) {
            case "small" -> {
                o.put("d_model", 512); o.put("d_ff", 2048); o.put("num_layers", 6); o.put("num_decoder_layers", 6);
                o.put("num_heads", 8);
            }
            case "base" -> {
                o.put("d_model", 768); o.put("d_ff", 3072); o.put("num_layers", 12); o.put("num_decoder_layers", 12);
                o.put("num_heads", 12);
            }
            default -> throw new IllegalArgumentException("model size must be small or base, got '" + size + "'");
        }
        return T5Config.fromJson(o);
    }
}
