package dev.resumo.train;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters --weight-decay leaves alone, by transformers' rule (5.24
 * {@code Trainer.get_decay_parameter_names}): a name that contains "bias", "layernorm",
 * "rmsnorm", a ".norm" / "_norm" component (lower-cased). For T5 that is every T5LayerNorm weight
 * ({@code ...layer_norm.weight}, {@code ...final_layer_norm.weight}) and the relative position
 * tables ({@code ...relative_attention_bias.weight}: an embedding, but named "bias"). transformers
 * also spares parameters of {@code torch.nn.LayerNorm} modules by type; T5 has none, and a norm
 * layer of another model is caught by its name.
 */
public final class NoDecayParameters {
    private static final List<Pattern> NAMES = java.util.stream.Stream.of(
            "bias", "layernorm", "rmsnorm", "(?:^|\\.)norm(?:$|\\.)", "_norm(?:$|\\.)").map(Pattern::compile).toList();

    private NoDecayParameters() {}

    /** True when weight decay must not touch the parameter of this name. */
    public static boolean excluded(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Pattern p : NAMES) if (p.matcher(lower).find()) return true;
        return false;
    }

    /** The names, among these parameters, that weight decay leaves alone. */
    public static Set<String> of(List<Parameter> params) {
        Set<String> out = new LinkedHashSet<>();
        for (Parameter p : params) if (excluded(p.name())) out.add(p.name());
        return out;
    }
}
