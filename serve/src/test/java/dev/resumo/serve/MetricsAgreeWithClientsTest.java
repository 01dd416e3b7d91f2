package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * /metrics must agree with what clients received, as a soak of `resumo serve` compared them:
 * answers the HTTP layer gives itself (413, malformed requests) were missing from the request
 * counts, and tokens generated for requests that had left their batch (client gone, --timeout)
 * were counted although no client received them.
 */
class MetricsAgreeWithClientsTest {
    private static final String TEXT = "O governo anunciou hoje um novo plano para a educação pública";

    @Test
    void answersTheHttpLayerGivesItselfAreCounted() throws Exception {
        ServeConfig c = ServerFixture.config().withLimits(100, 256, 30_000, true);
        try (ServerFixture f = new ServerFixture(c, new FakeEngine(0, 512))) {
            String big = "{\"text\": \"" + "palavra ".repeat(40) + "\"}";
            String tooLarge = f.raw("POST /v1/summarize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + big.length() + "\r\n\r\n" + big);
            assertTrue(tooLarge.startsWith("HTTP/1.1 413 "), tooLarge);
            String malformed = f.raw("NOT A REQUEST\r\n\r\n");
            assertTrue(malformed.startsWith("HTTP/1.1 400 "), malformed);

            String metrics = f.get("/metrics").body();
            assertTrue(metrics.contains("resumo_http_requests_total{path=\"/v1/summarize\",status=\"413\"} 1"), metrics);
            assertTrue(metrics.contains("resumo_http_requests_total{path=\"other\",status=\"400\"} 1"),
                    "a request line that never arrived whole is counted under path other: " + metrics);
        }
    }

    /**
     * A flood past --max-connections: every 503 a client reads is counted, under path other (these
     * clients send no request), and refusals the server could not answer (more than it answers at
     * once) are counted apart; the two add up to the connections refused.
     */
    @Test
    void refusedConnectionsAreCountedAsTheyWereAnswered() throws Exception {
        int flood = ConnectionLimit.ANSWERING_REFUSALS + 60;
        try (ServerFixture f = new ServerFixture(ServerFixture.config().withConnections(1, 30_000), new FakeEngine(0, 512));
             Socket holder = new Socket(f.server.uri().getHost(), f.server.port())) {
            MaxConnectionsTest.awaitOpen(f, 1);
            List<Socket> refused = new ArrayList<>();
            int answered503 = 0;
            try {
                // All opened before any is read: the refusals being answered linger until their client reads and leaves.
                for (int i = 0; i < flood; i++) {
                    Socket s = new Socket(f.server.uri().getHost(), f.server.port());
                    s.setSoTimeout(10_000);
                    refused.add(s);
                }
                for (Socket s : refused) {
                    String answer;
                    try {
                        answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (java.io.IOException reset) {
                        answer = "";
                    }
                    if (answer.startsWith("HTTP/1.1 503 ")) {
                        MaxConnectionsTest.assertRefused(answer);
                        answered503++;
                    } else {
                        assertEquals("", answer, "a refusal is a 503 or nothing");
                    }
                }
            } finally {
                for (Socket s : refused) s.close();
            }
            String metrics = f.server.metrics().prometheusText();
            long closed = MaxConnectionsTest.metric(f, "resumo_connections_refused_total{answer=\"closed\"}");
            assertTrue(answered503 >= 1, "some refusals were answered: " + metrics);
            assertTrue(metrics.contains("resumo_http_requests_total{path=\"other\",status=\"503\"} " + answered503 + "\n"),
                    "503s counted = 503s clients read (" + answered503 + "): " + metrics);
            assertTrue(metrics.contains("resumo_connections_refused_total{answer=\"503\"} " + answered503 + "\n"), metrics);
            assertEquals(flood - answered503, closed, "the rest were closed unanswered, and counted so");
            System.out.println(flood + " connections past the limit: " + answered503 + " answered 503, " + closed
                    + " closed unanswered; /metrics agrees");
        }
    }

    @Test
    void tokensCountOnlyWhatAnswersCarried() throws Exception {
        FakeEngine engine = new FakeEngine(800, 512);
        // a wide batching window so that both requests surely share one batch
        ServeConfig c = ServerFixture.config().withBatching(8, 300);
        try (ServerFixture f = new ServerFixture(c, engine)) {
            String body = "{\"text\": \"" + TEXT + "\"}";
            try (Socket leaving = new Socket(f.server.uri().getHost(), f.server.port())) {
                OutputStream out = leaving.getOutputStream();
                out.write(("POST /v1/summarize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                CompletableFuture<HttpResponse<String>> staying = CompletableFuture.supplyAsync(() -> {
                    try {
                        return f.post(body);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                ServeApiTest.waitFor(() -> engine.batchSizes.equals(java.util.List.of(2)), "both requests generated as one batch");
                leaving.close(); // mid-generation: the batch goes on for the one that stays

                HttpResponse<String> answered = staying.get(30, TimeUnit.SECONDS);
                assertEquals(200, answered.statusCode(), answered.body());
                long clientTokens = ServerFixture.json(answered).get("tokens_generated").asLong();
                assertEquals(3, clientTokens, "the fake engine's summaries are 3 tokens");
                ServeApiTest.waitFor(() -> f.server.metrics().prometheusText()
                        .contains("resumo_http_requests_total{path=\"/v1/summarize\",status=\"499\"} 1"), "the leaver counted 499");

                assertEquals(0, engine.cancelledBatches.get(), "the batch ran to its end for the request that stayed");
                assertEquals(clientTokens, f.server.metrics().tokensGenerated(),
                        "tokens counted = tokens the one 200 answer carried, not the batch's 2 × 3");
                assertTrue(f.get("/metrics").body().contains("resumo_tokens_generated_total " + clientTokens));
            }
        }
    }
}
