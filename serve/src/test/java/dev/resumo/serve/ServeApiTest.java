package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resumo.t5.generate.GenerationConfig;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Every status the API answers, against a fake engine on a loopback port. */
class ServeApiTest {
    private static final String TEXT = "O governo anunciou hoje um novo plano para a educação pública";

    @Test
    void repetitionPenaltyReachesTheEngine() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            assertEquals(200, f.post("{\"text\": \"" + TEXT + "\", \"repetition_penalty\": 1.3}").statusCode());
            assertEquals(200, f.post("{\"text\": \"" + TEXT + "\"}").statusCode());
            assertEquals(1.3f, engine.batchSettings.get(0).repetitionPenalty());
            assertEquals(1.0f, engine.batchSettings.get(1).repetitionPenalty(), "absent: the model's setting (here off)");
        }
    }

    /** early_stopping as generation_config.json writes it (true, false, "never"); it only steers beam search. */
    @Test
    void earlyStoppingReachesTheEngineForBeamRequests() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            assertEquals(200, f.post("{\"text\": \"" + TEXT + "\", \"num_beams\": 2, \"early_stopping\": \"never\"}").statusCode());
            assertEquals(200, f.post("{\"text\": \"" + TEXT + "\", \"num_beams\": 2, \"early_stopping\": true}").statusCode());
            assertEquals(200, f.post("{\"text\": \"" + TEXT + "\", \"num_beams\": 2, \"early_stopping\": null}").statusCode());
            assertEquals(200, f.post("{\"text\": \"" + TEXT + "\", \"early_stopping\": true}").statusCode());
            assertEquals(GenerationConfig.EarlyStopping.NEVER, engine.batchSettings.get(0).earlyStopping());
            assertEquals(GenerationConfig.EarlyStopping.TRUE, engine.batchSettings.get(1).earlyStopping());
            assertEquals(GenerationConfig.EarlyStopping.FALSE, engine.batchSettings.get(2).earlyStopping(), "null: the model's");
            assertEquals(GenerationConfig.EarlyStopping.FALSE, engine.batchSettings.get(3).earlyStopping(),
                    "greedy: reset to the model's, so it batches with requests that left it out");
            for (String bad : List.of("\"sometimes\"", "\"true\"", "1", "[true]")) {
                HttpResponse<String> r = f.post("{\"text\": \"ok\", \"num_beams\": 2, \"early_stopping\": " + bad + "}");
                assertError(r, 400, "early_stopping");
                assertTrue(ServerFixture.json(r).at("/error/message").asText().startsWith("expected true, false or \"never\", got "), r.body());
            }
        }
    }

    @Test
    void promptLookupReachesTheEngineForGreedyRequestsOnly() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            assertEquals(200, f.post("{\"text\": \"" + TEXT + "\", \"prompt_lookup_num_tokens\": 10}").statusCode());
            assertEquals(10, engine.batchSettings.get(0).promptLookupNumTokens());
            assertError(f.post("{\"text\": \"ok\", \"prompt_lookup_num_tokens\": 10, \"num_beams\": 2}"), 400,
                    "prompt_lookup_num_tokens");
            assertError(f.post("{\"text\": \"ok\", \"prompt_lookup_num_tokens\": 129}"), 400, "prompt_lookup_num_tokens");
            assertError(f.post("{\"text\": \"ok\", \"prompt_lookup_num_tokens\": -1}"), 400, "prompt_lookup_num_tokens");
        }
    }

    @Test
    void summarizesOneTextAndSeveral() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            HttpResponse<String> r = f.post("{\"text\": \"" + TEXT + "\", \"max_new_tokens\": 20}");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode j = ServerFixture.json(r);
            assertEquals(FakeEngine.expected(TEXT, 20), j.get("summaries").get(0).asText());
            assertEquals("fake-t5", j.get("model").asText());
            assertTrue(j.get("timing_ms").isNumber());
            assertFalse(j.get("truncated").asBoolean());

            r = f.post("{\"texts\": [\"um dois três quatro\", \"cinco seis\"]}");
            assertEquals(200, r.statusCode(), r.body());
            j = ServerFixture.json(r);
            assertEquals(FakeEngine.expected("um dois três quatro", 64), j.get("summaries").get(0).asText());
            assertEquals(FakeEngine.expected("cinco seis", 64), j.get("summaries").get(1).asText());
        }
    }

    @Test
    void healthReadyOpenApiPageAndMetrics() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), null)) {
            assertEquals(200, f.get("/health").statusCode());
            assertEquals(503, f.get("/ready").statusCode(), "no model yet");
            assertEquals(503, f.post("{\"text\": \"x\"}").statusCode(), "no model yet");
            f.server.engineReady(new FakeEngine(0, 512));
            HttpResponse<String> ready = f.get("/ready");
            assertEquals(200, ready.statusCode());
            assertEquals("fake-t5", ServerFixture.json(ready).get("model").asText());

            JsonNode api = ServerFixture.json(f.get("/openapi.json"));
            for (String p : List.of("/v1/summarize", "/health", "/ready", "/metrics", "/", "/openapi.json")) {
                assertTrue(api.get("paths").has(p), "openapi lists " + p);
            }
            JsonNode props = api.at("/components/schemas/SummarizeRequest/properties");
            List<String> documented = new ArrayList<>();
            props.fieldNames().forEachRemaining(documented::add);
            assertEquals(new java.util.TreeSet<>(SummarizeRequest.FIELDS), new java.util.TreeSet<>(documented),
                    "the OpenAPI request schema lists exactly the fields the parser accepts");

            HttpResponse<String> page = f.get("/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(page.body().contains("name=\"viewport\""), "phone-readable page");
            assertFalse(page.body().matches("(?s).*(src|href)=\"https?://.*"), "no external assets");

            f.post("{\"texts\": [\"a b\", \"c d\"]}");
            f.post("{\"text\": 5}");
            String metrics = f.get("/metrics").body();
            assertTrue(metrics.contains("resumo_http_requests_total{path=\"/v1/summarize\",status=\"200\"} 1"), metrics);
            assertTrue(metrics.contains("resumo_http_requests_total{path=\"/v1/summarize\",status=\"400\"} 1"), metrics);
            assertTrue(metrics.contains("resumo_http_requests_total{path=\"/v1/summarize\",status=\"503\"} 1"), metrics);
            assertTrue(metrics.contains("resumo_request_duration_seconds_count 3"), metrics);
            assertTrue(metrics.contains("resumo_batch_size_bucket{le=\"2\"} 1"), metrics);
            assertTrue(metrics.contains("resumo_tokens_generated_total 6"), metrics);
            assertTrue(metrics.contains("resumo_queue_depth 0"), metrics);
            assertEquals(404, f.get("/nope").statusCode());
            assertEquals(405, f.get("/v1/summarize").statusCode());
        }
    }

    @Test
    void unauthorizedWithoutTheRightToken() throws Exception {
        ServeConfig c = ServerFixture.config().withTokens(List.of("s3cret-token", "other"));
        try (ServerFixture f = new ServerFixture(c, new FakeEngine(0, 512))) {
            String body = "{\"text\": \"" + TEXT + "\"}";
            HttpResponse<String> none = f.post(body);
            assertEquals(401, none.statusCode());
            assertEquals("Authorization", ServerFixture.json(none).at("/error/field").asText());
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertFalse(none.body().contains("s3cret"), "tokens never echoed");
            assertEquals(401, f.post(body, "Bearer s3cret-toke").statusCode(), "a prefix of a token is wrong");
            assertEquals(401, f.post(body, "Bearer s3cret-token2").statusCode());
            assertEquals(200, f.post(body, "Bearer s3cret-token").statusCode());
            assertEquals(200, f.post(body, "bearer other").statusCode());
            assertEquals(200, f.post(body, "s3cret-token").statusCode(), "bare token, as the original client sent");
            assertEquals(200, f.get("/health").statusCode(), "only /v1 needs the token");
        }
    }

    @Test
    void badRequestsNameTheField() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            assertError(f.post("{\"text\": \"abc\""), 400, "body");
            assertError(f.post("[1, 2]"), 400, "body");
            assertError(f.post("{}"), 400, "text");
            assertError(f.post("{\"text\": 5}"), 400, "text");
            assertError(f.post("{\"texts\": \"abc\"}"), 400, "texts");
            assertError(f.post("{\"texts\": [\"ok\", 3]}"), 400, "texts[1]");
            assertError(f.post("{\"text\": \"ok\", \"max_new_tokens\": \"10\"}"), 400, "max_new_tokens");
            assertError(f.post("{\"text\": \"ok\", \"max_new_tokens\": 100000}"), 400, "max_new_tokens");
            assertError(f.post("{\"text\": \"ok\", \"num_beams\": 1.5}"), 400, "num_beams");
            assertError(f.post("{\"text\": \"ok\", \"do_sample\": \"yes\"}"), 400, "do_sample");
            assertError(f.post("{\"text\": \"ok\", \"top_p\": 1.5}"), 400, "top_p");
            assertError(f.post("{\"text\": \"ok\", \"min_new_tokens\": 30, \"max_new_tokens\": 10}"), 400, "min_new_tokens");
            assertError(f.post("{\"text\": \"ok\", \"max_new_token\": 10}"), 400, "max_new_token");
            assertError(f.post("{\"text\": \"ok\", \"repetition_penalty\": 0}"), 400, "repetition_penalty");
            assertError(f.post("{\"text\": \"ok\", \"repetition_penalty\": \"2\"}"), 400, "repetition_penalty");
        }
    }

    @Test
    void bodyOverTheLimitIs413EvenChunked() throws Exception {
        ServeConfig c = ServerFixture.config().withLimits(200, 64, 30_000, true);
        try (ServerFixture f = new ServerFixture(c, new FakeEngine(0, 512))) {
            String big = "{\"text\": \"" + "palavra ".repeat(100) + "\"}";
            assertError(f.post(big), 413, "body");
            // The JDK client sends a body of unknown length chunked.
            HttpRequest chunked = HttpRequest.newBuilder(f.uri("/v1/summarize")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                    .build();
            HttpResponse<String> r = f.client.send(chunked, HttpResponse.BodyHandlers.ofString());
            assertError(r, 413, "body");
            // A chunked body that never ends is cut off while reading, not buffered whole.
            String endless = "POST /v1/summarize HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "64\r\n" + "a".repeat(100) + "\r\n" + "64\r\n" + "a".repeat(100) + "\r\n" + "64\r\n" + "a".repeat(100) + "\r\n";
            String answer = f.raw(endless);
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            // Under the limit, chunked works.
            String small = "{\"text\": \"um dois três\"}";
            HttpRequest ok = HttpRequest.newBuilder(f.uri("/v1/summarize")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small.getBytes(StandardCharsets.UTF_8))))
                    .build();
            assertEquals(200, f.client.send(ok, HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void longInputIsTruncatedOr422() throws Exception {
        String longText = "palavra ".repeat(20);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 10))) {
            HttpResponse<String> r = f.post("{\"texts\": [\"curto\", \"" + longText + "\"]}");
            assertEquals(200, r.statusCode());
            assertTrue(ServerFixture.json(r).get("truncated").asBoolean());
            assertFalse(ServerFixture.json(f.post("{\"text\": \"curto\"}")).get("truncated").asBoolean());
        }
        ServeConfig strict = ServerFixture.config().withLimits(1 << 20, 64, 30_000, false);
        try (ServerFixture f = new ServerFixture(strict, new FakeEngine(0, 10))) {
            assertError(f.post("{\"texts\": [\"curto\", \"" + longText + "\"]}"), 422, "texts[1]");
            assertEquals(200, f.post("{\"text\": \"curto\"}").statusCode());
        }
    }

    @Test
    void tooMuchWaitingWorkIs429WithRetryAfter() throws Exception {
        FakeEngine engine = new FakeEngine(400, 512);
        ServeConfig c = ServerFixture.config().withBatching(1, 0).withLimits(1 << 20, 2, 30_000, true);
        try (ServerFixture f = new ServerFixture(c, engine); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(pool.submit(() -> f.post("{\"text\": \"" + TEXT + "\"}")));
                Thread.sleep(20);
            }
            int ok = 0, busy = 0;
            for (Future<HttpResponse<String>> fu : all) {
                HttpResponse<String> r = fu.get();
                if (r.statusCode() == 200) ok++;
                if (r.statusCode() == 429) {
                    busy++;
                    assertError(r, 429, "queue");
                    int retry = Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow());
                    assertTrue(retry >= 1, "Retry-After in seconds");
                }
            }
            assertTrue(busy >= 1, "one running + 2 queued, the rest refused: " + busy);
            assertEquals(6, ok + busy, "every request is either answered or refused with 429");
        }
    }

    @Test
    void pastTheTimeoutIs504AndTheWorkIsCancelled() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        ServeConfig c = ServerFixture.config().withLimits(1 << 20, 64, 1000, true);
        try (ServerFixture f = new ServerFixture(c, engine)) {
            assertEquals(200, f.post("{\"text\": \"aquecimento\"}").statusCode(), "warm-up within the timeout");
            engine.delayMs = 5_000;
            long t0 = System.nanoTime();
            assertError(f.post("{\"text\": \"" + TEXT + "\"}"), 504, "timeout");
            assertTrue((System.nanoTime() - t0) / 1e6 < 3000, "answered at the timeout, not after the work");
            waitFor(() -> engine.cancelledBatches.get() == 1, "the engine sees its batch cancelled");
            assertEquals(2, engine.batchSizes.size());
        }
    }

    @Test
    void aClientThatHangsUpFreesItsSlot() throws Exception {
        FakeEngine engine = new FakeEngine(3_000, 512);
        ServeConfig c = ServerFixture.config().withBatching(1, 0).withLimits(1 << 20, 1, 30_000, true);
        try (ServerFixture f = new ServerFixture(c, engine)) {
            String body = "{\"text\": \"" + TEXT + "\"}";
            String request = "POST /v1/summarize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
            Socket running = send(f, request);
            waitFor(() -> engine.batchSizes.size() == 1, "first request is being generated");
            Socket queued = send(f, request);
            waitFor(() -> f.server.metrics().prometheusText().contains("resumo_queue_depth 1"), "second request queued");
            queued.close();
            waitFor(() -> f.server.metrics().prometheusText().contains("resumo_queue_depth 0"), "queued slot freed");
            assertEquals(1, engine.batchSizes.size(), "freed while the first still runs, not taken by the worker");
            running.close();
            waitFor(() -> engine.cancelledBatches.get() == 1, "running work cancelled");
            engine.delayMs = 0;
            assertEquals(200, f.post(body).statusCode(), "the queue has room again");
            assertEquals(2, engine.batchSizes.size(), "the hung-up queued request never ran");
        }
    }

    @Test
    void shutdownFinishesInFlightAndRefusesNewWork() throws Exception {
        FakeEngine engine = new FakeEngine(800, 512);
        ServerFixture f = new ServerFixture(ServerFixture.config(), engine);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return f.post("{\"text\": \"" + TEXT + "\"}");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        waitFor(() -> engine.batchSizes.size() == 1, "request in flight");
        Thread closer = Thread.ofPlatform().start(f::close);
        waitFor(() -> {
            try {
                return f.get("/ready").statusCode() == 503;
            } catch (Exception e) {
                return false;
            }
        }, "draining");
        assertError(f.post("{\"text\": \"" + TEXT + "\"}"), 503, "server");
        HttpResponse<String> r = inFlight.get();
        assertEquals(200, r.statusCode(), "the in-flight request finishes");
        assertEquals(FakeEngine.expected(TEXT, 64), ServerFixture.json(r).get("summaries").get(0).asText());
        closer.join(10_000);
        assertFalse(closer.isAlive());
    }

    @Test
    void concurrentRequestsWithTheSameSettingsShareABatch() throws Exception {
        FakeEngine engine = new FakeEngine(50, 512);
        ServeConfig c = ServerFixture.config().withBatching(8, 300);
        try (ServerFixture f = new ServerFixture(c, engine); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                String settings = n % 2 == 0 ? "" : ", \"max_new_tokens\": 10";
                all.add(pool.submit(() -> f.post("{\"text\": \"texto " + n + " aqui\"" + settings + "}")));
            }
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> r = all.get(i).get();
                assertEquals(200, r.statusCode());
                assertEquals(FakeEngine.expected("texto " + i + " aqui", i % 2 == 0 ? 64 : 10),
                        ServerFixture.json(r).get("summaries").get(0).asText(), "each client gets its own summary");
            }
            assertEquals(2, engine.batchSizes.size(), "two settings, two batches: " + engine.batchSizes);
            assertEquals(List.of(4, 4), engine.batchSizes);
            assertTrue(engine.batchSettings.get(0).maxNewTokens() != engine.batchSettings.get(1).maxNewTokens());
        }
    }

    private static Socket send(ServerFixture f, String request) throws Exception {
        Socket s = new Socket(f.server.uri().getHost(), f.server.port());
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return s;
    }

    static void assertError(HttpResponse<String> r, int status, String field) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = ServerFixture.json(r).get("error");
        assertEquals(status, e.get("status").asInt(), r.body());
        assertEquals(field, e.get("field").asText(), r.body());
        assertFalse(e.get("message").asText().isBlank());
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("timed out waiting: " + what);
            Thread.sleep(10);
        }
    }
}
