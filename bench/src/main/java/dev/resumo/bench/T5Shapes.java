package dev.resumo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5ParameterNames;
import java.util.List;

/**
 * The T5 shapes benchmarks run at: {@code tiny} (the golden test models: d_model 32, 2+2 layers),
 * {@code small} and {@code base} (PTT5-small / PTT5-base: ReLU, tied lm_head, vocab 32128).
 */
public final class T5Shapes {
    public static final List<String> NAMES = List.of("tiny", "small", "base");

    private T5Shapes() {}

    /** The config of a named shape; an unknown name is an IllegalArgumentException listing the known ones. */
    public static T5Config config(String name) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("vocab_size", 32128).put("feed_forward_proj", "relu").put("tie_word_embeddings", true)
                .put("relative_attention_num_buckets", 32).put("relative_attention_max_distance", 128);
        switch (name) {
            case "tiny" -> c.put("d_model", 32).put("d_kv", 8).put("d_ff", 64).put("num_layers", 2).put("num_heads", 4);
            case "small" -> c.put("d_model", 512).put("d_kv", 64).put("d_ff", 2048).put("num_layers", 6).put("num_heads", 8);
            case "base" -> c.put("d_model", 768).put("d_kv", 64).put("d_ff", 3072).put("num_layers", 12).put("num_heads", 12);
            default -> throw new IllegalArgumentException("unknown shape '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
        return T5Config.fromJson(c);
    }

    /** Parameters of a shape (the tied lm_head counted once). */
    public static long parameterCount(T5Config config) {
        long n = 0;
        for (int[] shape : T5ParameterNames.expected(config).values()) {
            long size = 1;
            for (int d : shape) size *= d;
            n += size;
        }
        return n;
    }
}
