package dev.resumo.batch;

import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.GenerationOverrides;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The generation settings as {@link BatchOptions}: the launcher writes the flags a user gave as
 * Beam arguments ({@link #args}), the pipeline reads them back ({@link #from}) into the
 * GenerationOverrides its workers lay over the model's generation_config.json.
 */
public final class GenerationOptions {
    private GenerationOptions() {}

    /** The settings in {@code o}; an early stopping other than true/false/never throws, naming earlyStopping. */
    public static GenerationOverrides from(BatchOptions o) {
        GenerationConfig.EarlyStopping stopping = null;
        if (o.getEarlyStopping() != null) {
            try {
                stopping = GenerationConfig.earlyStopping(o.getEarlyStopping());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--earlyStopping: expected true, false or never, got \"" + o.getEarlyStopping() + "\"");
            }
        }
        return new GenerationOverrides(o.getMaxNewTokens(), o.getMinNewTokens(), o.getNumBeams(), o.getLengthPenalty(), stopping,
                o.getNoRepeatNgramSize(), o.getRepetitionPenalty(), o.getDoSample(), o.getTemperature(), o.getTopK(), o.getTopP(),
                o.getSeed(), o.getPromptLookupNumTokens());
    }

    /** "--name=value" for each setting given; none for those left to the model. Floats print exactly (shortest repr). */
    public static List<String> args(GenerationOverrides g) {
        List<String> out = new ArrayList<>();
        add(out, "maxNewTokens", g.maxNewTokens());
        add(out, "minNewTokens", g.minNewTokens());
        add(out, "numBeams", g.numBeams());
        add(out, "lengthPenalty", g.lengthPenalty());
        add(out, "earlyStopping", g.earlyStopping() == null ? null : g.earlyStopping().name().toLowerCase(Locale.ROOT));
        add(out, "noRepeatNgramSize", g.noRepeatNgramSize());
        add(out, "repetitionPenalty", g.repetitionPenalty());
        add(out, "promptLookupNumTokens", g.promptLookupNumTokens());
        add(out, "doSample", g.doSample());
        add(out, "temperature", g.temperature());
        add(out, "topK", g.topK());
        add(out, "topP", g.topP());
        add(out, "seed", g.seed());
        return out;
    }

    private static void add(List<String> out, String name, Object value) {
        if (value != null) out.add("--" + name + "=" + value);
    }
}
