package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** /v1/summarize only takes JSON bodies; a shutdown grace that runs out answers the stragglers 503. */
class ContentTypeAndShutdownTest {
    private static HttpResponse<String> post(ServerFixture f, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri("/v1/summarize")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return f.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bodiesNotSentAsJsonAre415() throws Exception {
        String json = "{\"text\": \"um dois três quatro\"}";
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            ServeApiTest.assertError(post(f, "text/plain", json), 415, "Content-Type");
            ServeApiTest.assertError(post(f, "application/x-www-form-urlencoded", json), 415, "Content-Type");
            ServeApiTest.assertError(post(f, "multipart/form-data; boundary=x", json), 415, "Content-Type");
            ServeApiTest.assertError(post(f, null, json), 415, "Content-Type");
            ServeApiTest.assertError(post(f, "application/jsonx", json), 415, "Content-Type");
            HttpResponse<String> charset = post(f, "Application/JSON; charset=utf-8", json);
            assertEquals(200, charset.statusCode(), charset.body());
            assertEquals("um dois três [64]", ServerFixture.json(charset).get("summaries").get(0).asText());
        }
    }

    @Test
    void requestsStillRunningWhenTheGraceEndsAreAnswered503() throws Exception {
        FakeEngine slow = new FakeEngine(20_000, 512); // far longer than the grace
        ServeConfig config = new ServeConfig("127.0.0.1", 0, java.util.List.of(), ServeConfig.DEFAULT_MAX_BODY_BYTES, 16, 8, 0,
                60_000, true, 512, 8, 64, 300);
        ServerFixture f = new ServerFixture(config, slow);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return f.post("{\"text\": \"um dois três\"}");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        ServeApiTest.waitFor(() -> !slow.batchSizes.isEmpty(), "the slow batch to start");
        long t0 = System.nanoTime();
        int cut = f.server.shutdown();
        assertEquals(1, cut, "one request cut off");
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "shutdown waits the grace, not the 20 s request");
        HttpResponse<String> r = inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS);
        ServeApiTest.assertError(r, 503, "server");
        assertTrue(r.body().contains("shut down before this summary finished"), r.body());
        ServeApiTest.waitFor(() -> slow.cancelledBatches.get() == 1, "the cut-off batch's work to be cancelled");
        assertFalse(r.body().isBlank());
    }
}
