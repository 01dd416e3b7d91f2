package dev.resumo.t5;

import java.util.Random;

/** Tiny random T5s built in the test (vocab 100, d_model 16) for behaviour checks. */
public final class TinyModels {
    private TinyModels() {}

    public static T5Model relu(long seed) {
        return T5Init.random(T5Config.fromJson(T5ConfigTest.tiny()), new Random(seed));
    }

    /**
     * Wide enough (d_model 512, d_ff 1024, vocab 600) that a decoding step's arrays at 8 rows reach
     * StepBuffers' pooling size (4096 floats): for checks of array reuse.
     */
    public static T5Model wide(long seed) {
        return T5Init.random(T5Config.fromJson(T5ConfigTest.tiny().put("vocab_size", 600).put("d_model", 512)
                .put("d_kv", 64).put("num_heads", 8).put("d_ff", 1024)), new Random(seed));
    }

    public static T5Model gatedUntied(long seed) {
        return T5Init.random(T5Config.fromJson(T5ConfigTest.tiny().put("feed_forward_proj", "gated-gelu")
                .put("tie_word_embeddings", false)), new Random(seed));
    }
}
