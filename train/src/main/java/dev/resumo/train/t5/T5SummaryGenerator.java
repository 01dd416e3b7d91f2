package dev.resumo.train.t5;

import dev.resumo.t5.Summarizer;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.eval.SummaryGenerator;
import java.util.List;

/**
 * Evaluation summaries through the same {@link Summarizer} that `resumo summarize`, the HTTP API
 * and Beam use, over the live weights being trained.
 */
public final class T5SummaryGenerator implements SummaryGenerator {
    private final Summarizer summarizer;

    public T5SummaryGenerator(Summarizer summarizer) {
        this.summarizer = summarizer;
    }

    /** The generation flags of a training config (num-beams, max-new-tokens, length-penalty, no-repeat-ngram-size). */
    public static GenerationConfig generationOf(TrainConfig c) {
        GenerationConfig g = GenerationConfig.defaults().withMaxNewTokens(c.maxNewTokens())
                .withNoRepeatNgramSize(c.noRepeatNgramSize());
        if (c.numBeams() > 1) g = g.withBeams(c.numBeams(), (float) c.lengthPenalty(), g.earlyStopping(), 1);
        return g;
    }

    @Override
    public List<String> summarize(List<String> texts) {
        return summarizer.summarize(texts).stream().map(Summarizer.Summary::text).toList();
    }
}
