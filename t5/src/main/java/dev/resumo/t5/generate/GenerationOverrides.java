package dev.resumo.t5.generate;

import java.io.Serializable;

/**
 * The generation settings a user gave (a command's flags, `resumo batch`'s pipeline options), each
 * null when not given, laid over a model's own settings by {@link #over(GenerationConfig)}. One
 * record for summarize, eval and batch, so the three turn the same flags into the same
 * GenerationConfig; batch carries it to its workers, which apply it to the model folder they read.
 */
public record GenerationOverrides(Integer maxNewTokens, Integer minNewTokens, Integer numBeams, Float lengthPenalty,
                                  GenerationConfig.EarlyStopping earlyStopping, Integer noRepeatNgramSize,
                                  Float repetitionPenalty, Boolean doSample, Float temperature, Integer topK, Float topP,
                                  Long seed, Integer promptLookupNumTokens) implements Serializable {

    /** Nothing given: the model's settings as they are (one sequence returned). */
    public static final GenerationOverrides NONE =
            new GenerationOverrides(null, null, null, null, null, null, null, null, null, null, null, null, null);

    /**
     * These settings over {@code model}'s; invalid combinations throw GenerationConfig's
     * IllegalArgumentException naming the HF field. One sequence per text, whatever the model's
     * num_return_sequences: eval and batch write one summary per text, and summarize and serve
     * return more only when the user asks ({@link GenerationConfig#withNumReturnSequences}).
     */
    public GenerationConfig over(GenerationConfig model) {
        int maxNew = or(maxNewTokens, model.maxNewTokens());
        // A shorter max_new_tokens than the model's own min_new_tokens: transformers stops at the
        // maximum (the minimum only bans EOS before it), so the model's minimum is clamped to it
        // instead of refusing a setting the user did not give. Both given and contradicting: an error.
        int minNew = minNewTokens != null ? minNewTokens : Math.min(model.minNewTokens(), maxNew);
        return new GenerationConfig(maxNew, minNew,
                or(numBeams, model.numBeams()),
                lengthPenalty != null ? lengthPenalty : model.lengthPenalty(),
                earlyStopping != null ? earlyStopping : model.earlyStopping(),
                or(noRepeatNgramSize, model.noRepeatNgramSize()),
                repetitionPenalty != null ? repetitionPenalty : model.repetitionPenalty(),
                1,
                doSample != null ? doSample : model.doSample(),
                temperature != null ? temperature : model.temperature(),
                or(topK, model.topK()),
                topP != null ? topP : model.topP(),
                seed != null ? seed : model.seed(),
                or(promptLookupNumTokens, model.promptLookupNumTokens()));
    }

    private static int or(Integer given, int model) {
        return given != null ? given : model;
    }
}
