package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.t5.generate.GenerationConfig;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The real adapter over the golden tiny model: batch-invariant greedy summaries, truncation, cancel. */
class SummarizerEngineTest {
    private static final GenerationConfig GREEDY = GenerationConfig.greedy(16);

    @Test
    void identicalGreedyRequestsGetIdenticalSummariesInAnyBatch() {
        SummarizerEngine engine = GoldenModel.engine(16, 64, 8);
        String[] t = GoldenModel.TEXTS;
        List<String> alone = new ArrayList<>();
        for (String text : t) alone.add(engine.summarize(List.of(text), GREEDY, CancellationToken.NEVER).get(0).text());
        List<List<String>> batches = List.of(List.of(t[0], t[1], t[2], t[3], t[4]), List.of(t[4], t[2], t[0]),
                List.of(t[3], t[3], t[1], t[2]), List.of(t[2], t[0], t[0], t[4], t[1], t[3]));
        int checked = 0;
        for (List<String> batch : batches) {
            List<SummaryEngine.Summary> out = engine.summarize(batch, GREEDY, CancellationToken.NEVER);
            assertEquals(batch.size(), out.size());
            for (int i = 0; i < batch.size(); i++) {
                int which = List.of(t).indexOf(batch.get(i));
                assertEquals(alone.get(which), out.get(i).text(), "text " + which + " in batch " + batch);
                assertTrue(out.get(i).generatedTokens() >= 1);
                checked++;
            }
        }
        System.out.println("batch invariance: " + checked + " summaries checked against their one-at-a-time result");
    }

    @Test
    void theWarmupRunsEachKindOfGenerationAndChangesNoSummary() {
        SummarizerEngine fresh = GoldenModel.engine(16, 64, 8), warmed = GoldenModel.engine(16, 64, 8);
        SummarizerEngine.Warmup w = warmed.warmUp();
        assertEquals(3, w.generations(), "greedy for one text, for two, and a 2-beam search");
        assertEquals(4 * SummarizerEngine.WARMUP_TOKENS, w.tokens(), "each generation ran its fixed number of tokens");
        List<String> texts = List.of(GoldenModel.TEXTS);
        for (GenerationConfig g : List.of(GREEDY, GREEDY.withBeams(2, 1f, GenerationConfig.EarlyStopping.FALSE, 1))) {
            List<SummaryEngine.Summary> a = fresh.summarize(texts, g, CancellationToken.NEVER);
            List<SummaryEngine.Summary> b = warmed.summarize(texts, g, CancellationToken.NEVER);
            for (int i = 0; i < texts.size(); i++) assertEquals(a.get(i).text(), b.get(i).text(), "text " + i);
        }
    }

    @Test
    void truncationIsCountedInModelTokensAndCancelStopsTheWork() {
        SummarizerEngine engine = GoldenModel.engine(8, 16, 1);
        assertEquals(16, engine.maxInputTokens());
        assertTrue(engine.inputTokens("curto") < 16);
        assertTrue(engine.inputTokens(GoldenModel.TEXTS[2]) > 16);
        int[] calls = {0};
        List<SummaryEngine.Summary> out = engine.summarize(List.of(GoldenModel.TEXTS), GenerationConfig.greedy(8),
                () -> ++calls[0] > 2);
        assertTrue(out.isEmpty(), "cancelled: results dropped");
        assertEquals(3, calls[0], "asked before the first chunk and its first step, cancelled at the second step");
    }

    @Test
    void cancelStopsALongGenerationWithinOneStep() {
        SummarizerEngine engine = GoldenModel.engine(8, 64, 8);
        int[] asked = {0};
        List<SummaryEngine.Summary> out = engine.summarize(List.of(GoldenModel.TEXTS[0], GoldenModel.TEXTS[1]),
                GenerationConfig.greedy(400).withMinNewTokens(400), () -> ++asked[0] > 10);
        assertTrue(out.isEmpty(), "cancelled: results dropped");
        assertEquals(11, asked[0], "asked before the batch and before each step, not only between batches of 400 steps");
    }

    @Test
    void aTimedOutGenerationFreesTheWorkerForTheNextRequest() throws Exception {
        SummarizerEngine engine = GoldenModel.engine(8, 64, 8);
        engine.summarize(List.of(GoldenModel.TEXTS[1]), GenerationConfig.greedy(4), CancellationToken.NEVER); // warm-up
        // 512 tokens with 8 beams takes the tiny model seconds; the timeout is 600 ms.
        ServeConfig c = ServerFixture.config().withBatching(1, 0).withLimits(1 << 20, 64, 600, true);
        try (ServerFixture f = new ServerFixture(c, engine)) {
            String slow = "{\"text\": \"" + GoldenModel.TEXTS[0] + "\", \"max_new_tokens\": 512, \"min_new_tokens\": 512, \"num_beams\": 8}";
            ServeApiTest.assertError(f.post(slow), 504, "timeout");
            HttpResponse<String> next = f.post("{\"text\": \"" + GoldenModel.TEXTS[1] + "\", \"max_new_tokens\": 4}");
            assertEquals(200, next.statusCode(), "the worker was freed when the first request timed out: " + next.body());
        }
    }

    @Test
    void concurrentClientsThroughTheServerGetTheirOneAtATimeSummaries() throws Exception {
        SummarizerEngine engine = GoldenModel.engine(16, 64, 8);
        List<String> alone = new ArrayList<>();
        for (String text : GoldenModel.TEXTS) {
            alone.add(engine.summarize(List.of(text), engine.defaults().withMaxNewTokens(12), CancellationToken.NEVER).get(0).text());
        }
        try (ServerFixture f = new ServerFixture(ServerFixture.config().withBatching(8, 50), engine);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String text = GoldenModel.TEXTS[i % GoldenModel.TEXTS.length];
                all.add(pool.submit(() -> f.post(ServerFixture.JSON.createObjectNode().put("text", text).put("max_new_tokens", 12).toString())));
            }
            for (int i = 0; i < all.size(); i++) {
                HttpResponse<String> r = all.get(i).get();
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(alone.get(i % GoldenModel.TEXTS.length), ServerFixture.json(r).get("summaries").get(0).asText());
            }
            assertTrue(f.server.metrics().batches() < 10, "some requests shared a batch: " + f.server.metrics().batches() + " batches");
        }
    }
}
