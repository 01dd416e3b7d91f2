package dev.resumo.t5;

import dev.resumo.engine.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What transformers 5.24 makes of a checkpoint's tensors before it builds the model
 * ({@code PreTrainedModel.tie_weights} during {@code from_pretrained}), applied to a file's tensors
 * so that a folder loads here as it loads there:
 * <ul>
 *   <li>The embedding names encoder.embed_tokens, decoder.embed_tokens and lm_head are tied to
 *       shared.weight whatever config.json says, unless the file holds one with other values: an
 *       lm_head.weight of its own is then a separate output layer (a T5 v1.1 checkpoint re-saved
 *       by transformers 5 says tie_word_embeddings true and stores one); input embeddings of their
 *       own are refused, Resumo has one input embedding.</li>
 *   <li>Without shared.weight, the first of encoder.embed_tokens, decoder.embed_tokens, lm_head
 *       takes its place.</li>
 *   <li>decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight, which t5-small's
 *       files carry from an old transformers bug, is dropped (transformers ignores it too).</li>
 *   <li>A name under T5's base_model_prefix, {@code transformer.shared.weight} (a state dict saved
 *       from a wrapper that holds the model as {@code .transformer}), loses the prefix when the rest
 *       is a T5 name, as transformers' {@code rename_source_key} strips it.</li>
 * </ul>
 * Anything else the model does not expect stays, and {@link T5Model#of} names it.
 */
final class CheckpointTensors {
    private CheckpointTensors() {}

    static final String ENCODER_EMBED = "encoder.embed_tokens.weight";
    static final String DECODER_EMBED = "decoder.embed_tokens.weight";
    /** T5PreTrainedModel.base_model_prefix, with its dot. */
    static final String BASE_MODEL_PREFIX = "transformer.";
    /** transformers' _keys_to_ignore_on_load_unexpected for T5 and mT5. */
    static final String LEGACY_CROSS_ATTENTION_BIAS = "decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight";

    /** The config with its tie settled by the tensors, and the tensors T5Model.of takes. */
    record Resolved(T5Config config, Map<String, Tensor> weights) {}

    static Resolved resolve(T5Config config, Map<String, Tensor> loaded) {
        Map<String, Tensor> weights = withoutBaseModelPrefix(config, loaded);
        weights.remove(LEGACY_CROSS_ATTENTION_BIAS);
        Tensor shared = weights.get(T5ParameterNames.SHARED);
        if (shared == null) {
            for (String name : new String[] {ENCODER_EMBED, DECODER_EMBED, T5ParameterNames.LM_HEAD}) {
                shared = weights.get(name);
                if (shared != null) {
                    weights.put(T5ParameterNames.SHARED, shared);
                    break;
                }
            }
        }
        if (shared == null) return new Resolved(config, weights); // T5Model.of reports shared.weight missing
        for (String name : new String[] {ENCODER_EMBED, DECODER_EMBED}) {
            Tensor copy = weights.remove(name);
            if (copy != null && !sameValues(copy, shared)) {
                throw new IllegalArgumentException(name + " differs from shared.weight: a T5 whose " + name.substring(0, 7)
                        + " has its own input embedding is not supported (one embedding serves encoder, decoder and the tied lm_head)");
            }
        }
        Tensor lmHead = weights.get(T5ParameterNames.LM_HEAD);
        boolean tied = lmHead == null || sameValues(lmHead, shared);
        if (tied) weights.remove(T5ParameterNames.LM_HEAD);
        return new Resolved(config.withTieWordEmbeddings(tied), weights);
    }

    /**
     * Strips {@link #BASE_MODEL_PREFIX} from names whose remainder the model has, keeping the order.
     * Such a file loaded in transformers 5.24 with nothing missing; Resumo said all 26 parameters
     * of a tiny T5 were missing. A name present both with and without the prefix is refused.
     */
    private static Map<String, Tensor> withoutBaseModelPrefix(T5Config config, Map<String, Tensor> loaded) {
        Set<String> known = new HashSet<>(T5ParameterNames.expected(config).keySet());
        known.addAll(List.of(ENCODER_EMBED, DECODER_EMBED, T5ParameterNames.LM_HEAD, LEGACY_CROSS_ATTENTION_BIAS));
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, String> storedAs = new HashMap<>();
        for (Map.Entry<String, Tensor> e : loaded.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(BASE_MODEL_PREFIX) && known.contains(name.substring(BASE_MODEL_PREFIX.length()))) {
                name = name.substring(BASE_MODEL_PREFIX.length());
            }
            String earlier = storedAs.putIfAbsent(name, e.getKey());
            if (earlier != null) {
                throw new IllegalArgumentException("the checkpoint holds both " + earlier + " and " + e.getKey()
                        + ": the same parameter with and without the '" + BASE_MODEL_PREFIX + "' prefix");
            }
            out.put(name, e.getValue());
        }
        return out;
    }

    /** Same shape and the same float values (torch.equal, as transformers compares tied candidates). */
    static boolean sameValues(Tensor a, Tensor b) {
        if (a == b) return true;
        if (!Arrays.equals(a.shape(), b.shape())) return false;
        Tensor x = a.contiguous();
        Tensor y = b.contiguous();
        return Arrays.equals(x.data(), x.offset(), x.offset() + x.size(), y.data(), y.offset(), y.offset() + y.size());
    }
}
