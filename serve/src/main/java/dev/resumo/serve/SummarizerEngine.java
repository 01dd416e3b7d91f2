package dev.resumo.serve;

import dev.resumo.t5.Summarizer;
import dev.resumo.t5.generate.GenerationCancelledException;
import dev.resumo.t5.generate.GenerationConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The real engine: a {@link Summarizer} (tokenizer + T5 model + prefix + input limit), generating
 * each batch under the settings the requests asked for, in chunks of {@code chunkSize} texts (one
 * chunk is one batched generation). Cancellation is checked before every decoding step, so a
 * request past its --timeout, or whose client hung up, stops holding the worker within one step.
 */
public final class SummarizerEngine implements SummaryEngine {
    private final Summarizer summarizer;
    private final String name;
    private final int chunkSize;

    public SummarizerEngine(Summarizer summarizer, String name, int chunkSize) {
        if (chunkSize < 1) throw new IllegalArgumentException("chunk size must be ≥ 1, got " + chunkSize);
        this.summarizer = summarizer;
        this.name = name;
        this.chunkSize = chunkSize;
    }

    /** Written here for the warm-up: a short news-like text, so that every path sees real token ids. */
    private static final String WARMUP_TEXT = "A prefeitura anunciou ontem a reforma de três escolas e a abertura de "
            + "novas vagas em creches, com obras previstas para começar no próximo mês.";

    /**
     * Runs the model through the generations requests will ask for — greedy for one text and for
     * two (the screened lm_head keeps an int8 copy for one row and a bfloat16 one for more), and a
     * 2-beam search — a few tokens each, before the server says it is ready. Why: the first request
     * to a fresh JVM paid for compiling the kernels (Vector API code runs boxed until then) and for
     * the decode weights' one-time copies: PTT5-small shape, 64 new tokens, from /ready to the first
     * answer 3.8-5.7 s, then 0.5 s a request.
     */
    public Warmup warmUp() {
        long t0 = System.nanoTime();
        GenerationConfig greedy = GenerationConfig.greedy(WARMUP_TOKENS).withMinNewTokens(WARMUP_TOKENS);
        int tokens = 0;
        List<List<Summary>> runs = List.of(summarize(List.of(WARMUP_TEXT), greedy, CancellationToken.NEVER),
                summarize(List.of(WARMUP_TEXT, WARMUP_TEXT), greedy, CancellationToken.NEVER),
                summarize(List.of(WARMUP_TEXT), greedy.withBeams(2, 1f, GenerationConfig.EarlyStopping.FALSE, 1), CancellationToken.NEVER));
        for (List<Summary> run : runs) for (Summary s : run) tokens += s.generatedTokens();
        return new Warmup(runs.size(), tokens, (System.nanoTime() - t0) / 1e9);
    }

    /** What {@link #warmUp} ran: generations, the tokens they produced, seconds. */
    public record Warmup(int generations, int tokens, double seconds) {}

    /** New tokens per warm-up generation: enough decoding steps for the decode kernels to be compiled. */
    static final int WARMUP_TOKENS = 16;

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public GenerationConfig defaults() {
        return summarizer.generation();
    }

    @Override
    public int maxInputTokens() {
        return summarizer.maxSourceLength();
    }

    @Override
    public int inputTokens(String text) {
        return summarizer.tokenizer().encode(summarizer.prefix() + text, true).length;
    }

    @Override
    public List<Summary> summarize(List<String> texts, GenerationConfig settings, CancellationToken cancel) {
        Summarizer withSettings = new Summarizer(summarizer.tokenizer(), summarizer.model(), settings, summarizer.prefix(),
                summarizer.maxSourceLength(), chunkSize);
        List<Summary> out = new ArrayList<>(texts.size());
        try {
            for (Summarizer.Summary s : withSettings.summarize(texts, cancel::isCancelled)) {
                int tokens = 0;
                List<String> candidates = new ArrayList<>(s.candidates().size());
                for (Summarizer.Candidate c : s.candidates()) {
                    tokens += c.ids().length;
                    candidates.add(c.text());
                }
                out.add(new Summary(s.text(), tokens, candidates));
            }
        } catch (GenerationCancelledException e) {
            return List.of(); // nobody waits for these summaries any more
        }
        return out;
    }
}
