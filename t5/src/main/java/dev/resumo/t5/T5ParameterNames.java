package dev.resumo.t5;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every parameter of a T5ForConditionalGeneration checkpoint, by its Hugging Face name, with the
 * shape the config implies. Linear weights are [out, in], as HF stores them.
 */
public final class T5ParameterNames {
    private T5ParameterNames() {}

    public static final String SHARED = "shared.weight";
    public static final String LM_HEAD = "lm_head.weight";

    /** Name → shape, in HF's order (encoder blocks, encoder norm, decoder blocks, ...). */
    public static Map<String, int[]> expected(T5Config c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put(SHARED, new int[] {c.vocabSize(), c.dModel()});
        stack(m, c, "encoder", c.numLayers(), false);
        stack(m, c, "decoder", c.numDecoderLayers(), true);
        if (!c.tieWordEmbeddings()) m.put(LM_HEAD, new int[] {c.vocabSize(), c.dModel()});
        return m;
    }

    public static String block(String stack, int i) {
        return stack + ".block." + i + ".layer.";
    }

    private static void stack(Map<String, int[]> m, T5Config c, String stack, int layers, boolean decoder) {
        int d = c.dModel();
        int inner = c.innerDim();
        for (int i = 0; i < layers; i++) {
            String b = block(stack, i);
            String sa = b + "0.SelfAttention.";
            m.put(sa + "q.weight", new int[] {inner, d});
            m.put(sa + "k.weight", new int[] {inner, d});
            m.put(sa + "v.weight", new int[] {inner, d});
            m.put(sa + "o.weight", new int[] {d, inner});
            if (i == 0) m.put(sa + "relative_attention_bias.weight", new int[] {c.relativeAttentionNumBuckets(), c.numHeads()});
            m.put(b + "0.layer_norm.weight", new int[] {d});
            int ff = 1;
            if (decoder) {
                String ca = b + "1.EncDecAttention.";
                m.put(ca + "q.weight", new int[] {inner, d});
                m.put(ca + "k.weight", new int[] {inner, d});
                m.put(ca + "v.weight", new int[] {inner, d});
                m.put(ca + "o.weight", new int[] {d, inner});
                m.put(b + "1.layer_norm.weight", new int[] {d});
                ff = 2;
            }
            String f = b + ff + ".DenseReluDense.";
            if (!c.feedForward().gated()) {
                m.put(f + "wi.weight", new int[] {c.dFf(), d});
            } else {
                m.put(f + "wi_0.weight", new int[] {c.dFf(), d});
                m.put(f + "wi_1.weight", new int[] {c.dFf(), d});
            }
            m.put(f + "wo.weight", new int[] {d, c.dFf()});
            m.put(b + ff + ".layer_norm.weight", new int[] {d});
        }
        m.put(stack + ".final_layer_norm.weight", new int[] {d});
    }
}
