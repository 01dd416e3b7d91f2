package dev.resumo.t5;

import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.Generated;
import dev.resumo.t5.generate.Generator;
import dev.resumo.tokenizer.EncodedBatch;
import dev.resumo.tokenizer.T5Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text in, summary out: tokenizer + model + generation settings + input prefix. The one object
 * every front end (CLI, HTTP, web UI, Beam) uses, so a text gets the same summary everywhere.
 */
public final class Summarizer {
    public static final String DEFAULT_PREFIX = "summarize: ";
    public static final int DEFAULT_MAX_SOURCE_LENGTH = 512;
    public static final int DEFAULT_BATCH_SIZE = 8;

    /**
     * A text's summary: {@code text} and {@code ids} are its first candidate (beam search's best
     * hypothesis, sampling's first draw — what a one-sequence run returns).
     *
     * @param ids the generated token ids after the decoder start token, {@code </s>} included
     *     when the summary ended on its own (absent when it was cut at max_new_tokens)
     * @param candidates the num_return_sequences sequences generated for the text, in generate()'s
     *     order (beam search: best first), the first one {@code text}/{@code ids}
     */
    public record Summary(String text, int[] ids, List<Candidate> candidates) {
        public Summary {
            candidates = List.copyOf(candidates);
            if (candidates.isEmpty()) throw new IllegalArgumentException("a summary has at least one candidate");
        }

        /** A summary with one candidate and no score (greedy decoding, one sampled sequence). */
        public Summary(String text, int[] ids) {
            this(text, ids, List.of(new Candidate(text, ids, Float.NaN)));
        }
    }

    /**
     * One generated sequence of a text.
     *
     * @param score beam search's score (transformers' sequences_scores: the sum of the processed
     *     log-probabilities over length^length_penalty); NaN for greedy decoding and sampling,
     *     which have none
     */
    public record Candidate(String text, int[] ids, float score) {}

    private final T5Tokenizer tokenizer;
    private final T5Model model;
    private final GenerationConfig generation;
    private final String prefix;
    private final int maxSourceLength;
    private final int batchSize;

    /**
     * Ids the model has no embedding for would fail (or read past its tables) mid-generation, so a
     * tokenizer of another model is refused up front; public so `resumo train` can refuse it before
     * the dataset is read.
     */
    public static void checkVocabulary(T5Tokenizer tokenizer, T5Model model) {
        if (tokenizer.vocabSize() > model.config().vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " ids but the model only "
                    + model.config().vocabSize() + ": they do not belong together");
        }
    }

    public Summarizer(T5Tokenizer tokenizer, T5Model model, GenerationConfig generation, String prefix,
                      int maxSourceLength, int batchSize) {
        checkVocabulary(tokenizer, model);
        SequenceLimits.check("--max-source-length", maxSourceLength);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        this.tokenizer = tokenizer;
        this.model = model;
        this.generation = generation;
        this.prefix = prefix == null ? "" : prefix;
        this.maxSourceLength = maxSourceLength;
        this.batchSize = batchSize;
    }

    /**
     * A summarizer over a model directory. The tokenizer is read from {@code tokenizer} (a
     * spiece.model, a tokenizer.json or a directory with one), or from the model directory when
     * null. Generation settings: {@code generation} when given, else the directory's
     * generation_config.json, else {@link GenerationConfig#defaults()}.
     */
    public static Summarizer load(Path modelDir, Path tokenizer, GenerationConfig generation, String prefix,
                                  int maxSourceLength) {
        T5Model model = T5Checkpoint.load(modelDir);
        T5Tokenizer tok = T5Tokenizer.load(tokenizer != null ? tokenizer : modelDir);
        GenerationConfig g = generation != null ? generation : modelGenerationConfig(modelDir);
        return new Summarizer(tok, model, g, prefix, maxSourceLength, DEFAULT_BATCH_SIZE);
    }

    /** The directory's generation_config.json over the defaults, or the defaults. */
    public static GenerationConfig modelGenerationConfig(Path modelDir) {
        Path file = modelDir.resolve("generation_config.json");
        return Files.isRegularFile(file) ? GenerationConfig.load(file) : GenerationConfig.defaults();
    }

    /**
     * Output-changing settings the directory's generation_config.json makes that Resumo does not
     * implement ("name=value"; see {@link GenerationConfig#ignoredSettings}), token ids that differ
     * from config.json's among them, for a warning.
     */
    public static List<String> ignoredGenerationSettings(Path modelDir) {
        Path file = modelDir.resolve("generation_config.json");
        if (!Files.isRegularFile(file)) return List.of();
        T5Config config;
        try {
            config = T5Config.load(modelDir.resolve(T5Checkpoint.CONFIG));
        } catch (IllegalArgumentException e) {
            return GenerationConfig.ignoredSettings(file); // loading the model reports config.json's problem
        }
        return GenerationConfig.ignoredSettings(file, config.eosTokenId(), config.decoderStartTokenId());
    }

    /**
     * The summaries of {@code texts}, in their order; generated in batches of similar length,
     * longest first ({@link BatchOrder}).
     */
    public List<Summary> summarize(List<String> texts) {
        return summarize(texts, () -> false);
    }

    /**
     * As above; {@code stop} is asked before each batch and each decoding step, and a true answer
     * ends the work with {@link dev.resumo.t5.generate.GenerationCancelledException}.
     */
    public List<Summary> summarize(List<String> texts, java.util.function.BooleanSupplier stop) {
        return summarize(texts, stop, (summary, index) -> {});
    }

    /**
     * As above; {@code done} gets each summary with its text's index as soon as its batch is
     * generated (batch order, not the texts' order), so a caller can write out what is ready
     * instead of holding everything until the last batch.
     */
    public List<Summary> summarize(List<String> texts, java.util.function.BooleanSupplier stop,
                                   java.util.function.ObjIntConsumer<Summary> done) {
        int[][] encoded = new int[texts.size()][];
        for (int i = 0; i < encoded.length; i++) encoded[i] = tokenizer.encodeTruncated(prefix + texts.get(i), maxSourceLength, true);
        Summary[] out = new Summary[texts.size()];
        for (int[] members : BatchOrder.batches(encoded, batchSize)) {
            if (stop.getAsBoolean()) throw new dev.resumo.t5.generate.GenerationCancelledException();
            int[][] rows = new int[members.length][];
            for (int r = 0; r < members.length; r++) rows[r] = encoded[members[r]];
            EncodedBatch enc = tokenizer.pad(rows);
            int width = enc.width();
            int[] ids = new int[members.length * width];
            int[] mask = new int[members.length * width];
            for (int r = 0; r < members.length; r++) {
                System.arraycopy(enc.ids()[r], 0, ids, r * width, width);
                System.arraycopy(enc.attentionMask()[r], 0, mask, r * width, width);
            }
            Generated g = Generator.generate(model, ids, mask, members.length, width, generation, stop);
            int copies = g.numReturnSequences();
            float[] scores = g.sequenceScores();
            for (int r = 0; r < members.length; r++) {
                List<Candidate> candidates = new ArrayList<>(copies);
                for (int j = 0; j < copies; j++) {
                    int row = r * copies + j;
                    int[] tokens = g.newTokens(row);
                    candidates.add(new Candidate(text(tokens), tokens, scores.length == 0 ? Float.NaN : scores[row]));
                }
                Candidate first = candidates.get(0);
                out[members[r]] = new Summary(first.text(), first.ids(), candidates);
            }
            for (int member : members) done.accept(out[member], member);
        }
        return new ArrayList<>(Arrays.asList(out));
    }

    /**
     * The text of generated ids, leaving out ids the tokenizer does not have. A model's vocabulary
     * may be larger than its tokenizer's (T5's 32,128 rows for 32,100 pieces, rounded up to a
     * multiple of 128), and nothing stops generation from picking one of the rows past the
     * tokenizer's end: decoding it threw "id 32110 is outside the vocabulary", an internal error that
     * lost the whole run. transformers' fast tokenizer (its pipeline's default) skips such ids when
     * decoding; so does this. The summary's ids keep them.
     */
    private String text(int[] tokens) {
        int known = tokenizer.vocabSize();
        int[] decodable = Arrays.stream(tokens).filter(id -> id < known).toArray();
        return tokenizer.decode(decodable);
    }

    public String summarize(String text) {
        return summarize(List.of(text)).get(0).text();
    }

    public T5Model model() {
        return model;
    }

    public T5Tokenizer tokenizer() {
        return tokenizer;
    }

    public GenerationConfig generation() {
        return generation;
    }

    public String prefix() {
        return prefix;
    }

    public int maxSourceLength() {
        return maxSourceLength;
    }
}
