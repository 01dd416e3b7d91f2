package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.t5.generate.GenerationConfig;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Dynamic batching meets per-step cancellation: one request of a batch of several that times out
 * or whose client hangs up mid-generation must not stop the batch (its token is "all gone", not
 * "any gone"): the others get the summaries they would have got, and the generation runs to its end.
 */
class BatchCancelOneTest {
    @Test
    void theOthersInTheBatchStillGetTheirSummaries() throws Exception {
        SummarizerEngine real = GoldenModel.engine(8, 64, 8);
        GenerationConfig settings = GenerationConfig.greedy(48).withMinNewTokens(48);
        List<SummaryEngine.Summary> alone = real.summarize(List.of(GoldenModel.TEXTS[0], GoldenModel.TEXTS[1]), settings,
                CancellationToken.NEVER);

        CountDownLatch decoding = new CountDownLatch(5); // five stop checks: the batch is decoding
        AtomicInteger asked = new AtomicInteger();
        SummaryEngine watched = new SummaryEngine() {
            @Override public String modelName() { return real.modelName(); }
            @Override public GenerationConfig defaults() { return real.defaults(); }
            @Override public int maxInputTokens() { return real.maxInputTokens(); }
            @Override public int inputTokens(String text) { return real.inputTokens(text); }

            @Override
            public List<Summary> summarize(List<String> texts, GenerationConfig s, CancellationToken cancel) {
                return real.summarize(texts, s, () -> {
                    asked.incrementAndGet();
                    decoding.countDown();
                    return cancel.isCancelled();
                });
            }
        };
        try (BatchScheduler scheduler = new BatchScheduler(watched, 2, 5_000, 64, new Metrics())) {
            BatchScheduler.Job gone = scheduler.submit(List.of(GoldenModel.TEXTS[0]), settings);
            BatchScheduler.Job staying = scheduler.submit(List.of(GoldenModel.TEXTS[1]), settings);
            assertTrue(decoding.await(60, TimeUnit.SECONDS), "the two requests are generated as one batch");
            int atCancel = asked.get();
            scheduler.cancel(gone); // its client hung up, or it passed --timeout

            List<SummaryEngine.Summary> got = staying.result.get(60, TimeUnit.SECONDS);
            assertEquals(List.of(alone.get(1)), got, "the request that stayed gets its summary");
            assertTrue(gone.result.isCancelled(), "the one that left is answered by its cancellation");
            assertTrue(asked.get() > atCancel + 10, "the generation went on after one of its requests left: "
                    + atCancel + " → " + asked.get() + " checks");
            System.out.println("batch of 2, one cancelled at check " + atCancel + ": the other's " + got.get(0).generatedTokens()
                    + "-token summary arrived after " + asked.get() + " checks");
        }
    }
}
