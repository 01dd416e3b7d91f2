package dev.resumo.train.t5;

import dev.resumo.t5.T5Model;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.Generated;
import dev.resumo.t5.generate.Generator;
import dev.resumo.tokenizer.EncodedBatch;
import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.eval.SummaryGenerator;
import java.util.ArrayList;
import java.util.List;

/** Summaries from a T5 model with the current weights: prefix, encode, generate in batches, decode. */
public final class T5SummaryGenerator implements SummaryGenerator {
    private final T5Model model;
    private final T5Tokenizer tokenizer;
    private final String prefix;
    private final int maxSourceLength;
    private final int batchSize;
    private final GenerationConfig generation;

    public T5SummaryGenerator(T5Model model, T5Tokenizer tokenizer, String prefix, int maxSourceLength, int batchSize,
                              GenerationConfig generation) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.prefix = prefix;
        this.maxSourceLength = maxSourceLength;
        this.batchSize = batchSize;
        this.generation = generation;
    }

    /** The generation flags of a training config (num-beams, max-new-tokens, length-penalty, no-repeat-ngram-size). */
    public static GenerationConfig generationOf(TrainConfig c) {
        GenerationConfig g = GenerationConfig.defaults().withMaxNewTokens(c.maxNewTokens())
                .withNoRepeatNgramSize(c.noRepeatNgramSize());
        if (c.numBeams() > 1) {
            g = g.withBeams(c.numBeams(), (float) c.lengthPenalty(), g.earlyStopping(), 1);
        }
        return g;
    }

    @Override
    public List<String> summarize(List<String> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (int start = 0; start < texts.size(); start += batchSize) {
            List<String> chunk = new ArrayList<>();
            for (String t : texts.subList(start, Math.min(texts.size(), start + batchSize))) chunk.add(prefix + t);
            EncodedBatch enc = tokenizer.encodeBatch(chunk, maxSourceLength, true);
            int rows = chunk.size();
            int width = enc.ids()[0].length;
            int[] ids = new int[rows * width];
            int[] mask = new int[rows * width];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(enc.ids()[r], 0, ids, r * width, width);
                System.arraycopy(enc.attentionMask()[r], 0, mask, r * width, width);
            }
            Generated g = Generator.generate(model, ids, mask, rows, width, generation);
            for (int r = 0; r < rows; r++) out.add(tokenizer.decode(g.newTokens(r)).strip());
        }
        return out;
    }
}
