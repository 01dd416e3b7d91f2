package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.t5.generate.GenerationConfig;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bodies past the JSON parser's own limits, the max_new_tokens ceiling, and range messages. */
class ServeLimitsTest {
    @Test
    void bodiesPastTheParsersLimitsAre400NotInternalErrors() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            HttpResponse<String> deep = f.post("[".repeat(1500) + "]".repeat(1500));
            ServeApiTest.assertError(deep, 400, "body");
            assertTrue(deep.body().contains("not valid JSON"), deep.body());
            HttpResponse<String> longNumber = f.post("{\"text\":\"a\",\"max_new_tokens\":" + "9".repeat(2000) + "}");
            ServeApiTest.assertError(longNumber, 400, "body");
        }
    }

    @Test
    void maxNewTokensLimitIsCappedAtStartupAndRequestsAbove400() throws Exception {
        ServeConfig d = ServeConfig.defaults(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ServeConfig(d.host(), 0, List.of(),
                d.maxBodyBytes(), d.maxQueue(), d.maxBatch(), d.maxWaitMs(), d.timeoutMs(), true, 99_999_999, d.maxBeamsLimit(),
                d.maxTexts(), d.shutdownGraceMs()));
        assertTrue(e.getMessage().startsWith("--max-new-tokens-limit: must be in [1, " + GenerationConfig.MAX_NEW_TOKENS_LIMIT + "]"),
                e.getMessage());
        ServeConfig atCeiling = new ServeConfig(d.host(), 0, List.of(), d.maxBodyBytes(), d.maxQueue(), d.maxBatch(), d.maxWaitMs(),
                d.timeoutMs(), true, GenerationConfig.MAX_NEW_TOKENS_LIMIT, d.maxBeamsLimit(), d.maxTexts(), d.shutdownGraceMs());
        try (ServerFixture f = new ServerFixture(atCeiling, new FakeEngine(0, 512))) {
            ServeApiTest.assertError(f.post("{\"text\":\"a\",\"max_new_tokens\":99999999}"), 400, "max_new_tokens");
        }
    }

    /**
     * A request with more texts than the whole queue holds could never be queued: it is a 400
     * naming the limit, not a 429 "retry later" that a client honouring Retry-After would repeat
     * forever, even with the queue empty.
     */
    @Test
    void requestLargerThanTheQueueIs400NotRetryLater() throws Exception {
        ServeConfig smallQueue = new ServeConfig("127.0.0.1", 0, List.of(), 8192, 2, 8, 5, 30_000, true, 64, 8, 64, 1000);
        assertEquals(2, smallQueue.textsPerRequest());
        try (ServerFixture f = new ServerFixture(smallQueue, new FakeEngine(0, 512))) {
            for (int attempt = 0; attempt < 2; attempt++) {
                HttpResponse<String> r = f.post("{\"texts\":[\"a b\",\"c d\",\"e f\"],\"max_new_tokens\":2}");
                ServeApiTest.assertError(r, 400, "texts");
                assertTrue(r.body().contains("at most 2 texts per request (the server queues at most 2 texts), got 3"), r.body());
                assertTrue(r.headers().firstValue("Retry-After").isEmpty(), "no Retry-After on a request that can never fit");
            }
            assertEquals(200, f.post("{\"texts\":[\"a b\",\"c d\"],\"max_new_tokens\":2}").statusCode());
        }
        BatchScheduler scheduler = new BatchScheduler(new FakeEngine(0, 512), 8, 5, 2, new Metrics());
        try {
            ApiException e = assertThrows(ApiException.class,
                    () -> scheduler.submit(List.of("a", "b", "c"), GenerationConfig.greedy(2)));
            assertEquals(400, e.status());
        } finally {
            scheduler.close();
        }
    }

    @Test
    void topPRangeIsSaidAsHalfOpen() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            for (String p : List.of("2", "0", "-1")) {
                HttpResponse<String> r = f.post("{\"text\":\"a\",\"do_sample\":true,\"top_p\":" + p + "}");
                ServeApiTest.assertError(r, 400, "top_p");
                assertTrue(r.body().contains("(0, 1]") && !r.body().contains("E-324"), r.body());
            }
            assertEquals(200, f.post("{\"text\":\"a\",\"do_sample\":true,\"top_p\":1}").statusCode());
        }
    }

    /** A text of only zero-width or no-break spaces is as blank as "   " (the CLI's rule, BlankText). */
    @Test
    void invisibleOnlyTextsAreBlank() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            for (String blank : List.of("   ", "\\u200b\\u200b", "\\u00a0\\u2060 \\ufeff", "\\u0000", "\\u202e\\u2066 \\u00ad\\u001b")) {
                HttpResponse<String> r = f.post("{\"text\":\"" + blank + "\"}");
                ServeApiTest.assertError(r, 400, "text");
                assertTrue(r.body().contains("must not be blank"), r.body());
            }
            assertEquals(200, f.post("{\"text\":\"\\u200ba\"}").statusCode());
        }
    }
}
