package dev.resumo.serve;

import dev.resumo.t5.generate.GenerationConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic engine for API tests: the summary of a text is its first three words and the
 * max_new_tokens asked for (num_return_sequences N: then N candidates, the others marked " #j", 3
 * tokens each); every batch takes {@code delayMs}, checked for cancellation every ms.
 * Input tokens = words + 1 (the {@code </s>}).
 */
final class FakeEngine implements SummaryEngine {
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    final List<GenerationConfig> batchSettings = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger cancelledBatches = new AtomicInteger();
    volatile long delayMs;
    private final int maxInputTokens;

    FakeEngine(long delayMs, int maxInputTokens) {
        this.delayMs = delayMs;
        this.maxInputTokens = maxInputTokens;
    }

    @Override
    public String modelName() {
        return "fake-t5";
    }

    @Override
    public GenerationConfig defaults() {
        return GenerationConfig.greedy(64);
    }

    @Override
    public int maxInputTokens() {
        return maxInputTokens;
    }

    @Override
    public int inputTokens(String text) {
        return text.trim().split("\\s+").length + 1;
    }

    static String expected(String text, int maxNewTokens) {
        String[] w = text.trim().split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(w, Math.min(3, w.length))) + " [" + maxNewTokens + "]";
    }

    @Override
    public List<Summary> summarize(List<String> texts, GenerationConfig settings, CancellationToken cancel) {
        batchSizes.add(texts.size());
        batchSettings.add(settings);
        long until = System.nanoTime() + delayMs * 1_000_000L;
        while (System.nanoTime() < until) {
            if (cancel.isCancelled()) {
                cancelledBatches.incrementAndGet();
                return List.of();
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                // a shutdown whose grace ran out cancels the token, then interrupts the worker; on a
                // loaded machine the interrupt can land before this loop polls the token again
                if (cancel.isCancelled()) cancelledBatches.incrementAndGet();
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        List<Summary> out = new ArrayList<>();
        int n = settings.numReturnSequences();
        for (String t : texts) {
            List<String> candidates = new ArrayList<>();
            candidates.add(expected(t, settings.maxNewTokens()));
            for (int j = 1; j < n; j++) candidates.add(expected(t, settings.maxNewTokens()) + " #" + j);
            out.add(new Summary(candidates.get(0), 3 * n, candidates));
        }
        return out;
    }
}
