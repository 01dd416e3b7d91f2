package dev.resumo.engine.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * adafactor_weight_decay.json (weights-tools/make_weight_decay_reference.py): transformers'
 * Adafactor stepping with zero gradients, so each step is the weight decay alone, as float32 bits.
 */
public final class WeightDecayReference {
    /**
     * One configuration: the parameters before and after each step. {@code lrFromRms}: the lr is
     * scaled by the parameter's RMS (a float32 tensor in torch), so it depends on how that RMS is summed.
     */
    public record Case(String name, AdafactorConfig config, boolean lrFromRms, Map<String, Tensor> initial,
                       List<Map<String, float[]>> after) {}

    private WeightDecayReference() {}

    public static List<Case> cases() throws IOException {
        JsonNode root;
        try (InputStream in = WeightDecayReference.class.getResourceAsStream("/optim/adafactor_weight_decay.json")) {
            if (in == null) throw new IllegalStateException("optim/adafactor_weight_decay.json missing from test resources");
            root = new ObjectMapper().readTree(in);
        }
        List<Case> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("cases").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue(), cfg = c.get("config");
            Map<String, Tensor> initial = new LinkedHashMap<>();
            for (Iterator<String> names = c.get("initial").fieldNames(); names.hasNext(); ) {
                String p = names.next();
                initial.put(p, Tensor.of(floats(c.get("initial").get(p)), shape(root.get("shapes").get(p))));
            }
            List<Map<String, float[]>> after = new ArrayList<>();
            for (JsonNode step : c.get("after")) {
                Map<String, float[]> m = new LinkedHashMap<>();
                step.fields().forEachRemaining(p -> m.put(p.getKey(), floats(p.getValue())));
                after.add(m);
            }
            AdafactorConfig config = config(cfg);
            boolean lrFromRms = config.scaleParameter() && e.getKey().contains("rms_wins");
            out.add(new Case(e.getKey(), config, lrFromRms, initial, after));
        }
        return out;
    }

    /**
     * Steps a fresh optimizer over the case's parameters (moved by {@code place}, e.g. to a device)
     * with zero gradients and asserts every element bit-identical to torch's; returns elements checked.
     */
    public static int check(Case c, UnaryOperator<Tensor> place, Function<Map<String, Tensor>, Runnable> optimizer) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        c.initial().forEach((k, v) -> params.put(k, place.apply(Tensor.of(v.toArray(), v.shape()))));
        Runnable step = optimizer.apply(params);
        int checked = 0;
        for (int s = 0; s < c.after().size(); s++) {
            for (Tensor p : params.values()) p.setGrad(place.apply(Tensor.zeros(p.shape())));
            step.run();
            for (Map.Entry<String, Tensor> p : params.entrySet()) {
                float[] actual = p.getValue().toArray(), expected = c.after().get(s).get(p.getKey());
                for (int i = 0; i < actual.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                            c.name() + " step " + (s + 1) + " '" + p.getKey() + "'[" + i + "]: " + actual[i]
                                    + " against torch's " + expected[i]);
                    checked++;
                }
            }
        }
        return checked;
    }

    /** transformers' Adafactor arguments as a config: HF's defaults for eps, clip threshold and decay rate. */
    private static AdafactorConfig config(JsonNode cfg) {
        AdafactorConfig hf = AdafactorConfig.defaults();
        Double lr = cfg.get("lr").isNull() ? null : cfg.get("lr").asDouble();
        Double beta1 = cfg.has("beta1") ? cfg.get("beta1").asDouble() : null;
        return new AdafactorConfig(lr, hf.eps1(), hf.eps2(), hf.clipThreshold(), hf.decayRate(), beta1,
                cfg.get("weight_decay").asDouble(), cfg.get("scale_parameter").asBoolean(),
                cfg.get("relative_step").asBoolean(), false);
    }

    private static int[] shape(JsonNode s) {
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = s.get(i).asInt();
        return out;
    }

    private static float[] floats(JsonNode bits) {
        float[] out = new float[bits.size()];
        for (int i = 0; i < out.length; i++) out[i] = Float.intBitsToFloat(bits.get(i).asInt());
        return out;
    }
}
