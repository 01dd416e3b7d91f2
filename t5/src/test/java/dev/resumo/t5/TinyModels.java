package dev.resumo.t5;

import java.util.Random;

/** Tiny random T5s built in the test (vocab 100, d_model 16) for behaviour checks. */
public final class TinyModels {
    private TinyModels() {}

    public static T5Model relu(long seed) {
        return T5Init.random(T5Config.fromJson(T5ConfigTest.tiny()), new Random(seed));
    }

    public static T5Model gatedUntied(long seed) {
        return T5Init.random(T5Config.fromJson(T5ConfigTest.tiny().put("feed_forward_proj", "gated-gelu")
                .put("tie_word_embeddings", false)), new Random(seed));
    }
}
