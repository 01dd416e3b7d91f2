package dev.resumo.t5;

import dev.resumo.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A freshly initialised T5 with Hugging Face's {@code _init_weights} scheme (initializer_factor
 * 1): norms 1; embeddings N(0, 1); q N(0, (d_model·d_kv)^-½), k/v/wi N(0, d_model^-½),
 * o N(0, (heads·d_kv)^-½), wo N(0, d_ff^-½), relative bias N(0, d_model^-½).
 */
public final class T5Init {
    private T5Init() {}

    public static T5Model random(T5Config config, Random rng) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : T5ParameterNames.expected(config).entrySet()) {
            params.put(e.getKey(), initial(e.getKey(), e.getValue(), config, rng));
        }
        return T5Model.of(config, params);
    }

    private static Tensor initial(String name, int[] shape, T5Config c, Random rng) {
        if (name.endsWith("layer_norm.weight")) return Tensor.ones(shape);
        double std;
        if (name.equals(T5ParameterNames.SHARED) || name.equals(T5ParameterNames.LM_HEAD)) std = 1.0;
        else if (name.endsWith(".q.weight")) std = Math.pow((double) c.dModel() * c.dKv(), -0.5);
        else if (name.endsWith(".o.weight")) std = Math.pow(c.innerDim(), -0.5);
        else if (name.endsWith(".wo.weight")) std = Math.pow(c.dFf(), -0.5);
        else std = Math.pow(c.dModel(), -0.5); // k, v, wi, wi_0, wi_1, relative_attention_bias
        return Tensor.randn(rng, (float) std, shape);
    }
}
