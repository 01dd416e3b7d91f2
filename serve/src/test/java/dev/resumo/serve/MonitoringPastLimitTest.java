package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With every place under --max-connections held, /health, /ready and /metrics still answer: a
 * Kubernetes probe opens a fresh connection each time, and before it got the same 503 as everyone
 * past the limit, so the orchestrator restarted or unrouted a server that was only busy. Every other
 * request past the limit — and a head that is malformed, late or never sent — still gets the 503.
 */
class MonitoringPastLimitTest {
    private static final int PLACES = 2;
    private ServerFixture f;
    private final List<Socket> holding = new ArrayList<>();

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    /** The server full: one silent connection and one that sent half a head hold both places. */
    @BeforeEach
    void fill() throws Exception {
        f = new ServerFixture(ServerFixture.config().withConnections(PLACES, ServeConfig.DEFAULT_IDLE_TIMEOUT_MS), new FakeEngine(0, 512));
        holding.add(MaxConnectionsTest.idle(f, ""));
        holding.add(MaxConnectionsTest.idle(f, "GET /health HTTP/1.1\r\n"));
        MaxConnectionsTest.awaitOpen(f, PLACES);
    }

    @AfterEach
    void release() throws Exception {
        for (Socket s : holding) s.close();
        MaxConnectionsTest.awaitOpen(f, 0);
        f.close();
    }

    @Test
    void healthReadyAndMetricsAnswerAsUsualWhenEveryPlaceIsHeld() throws Exception {
        String health = MaxConnectionsTest.exchange(f, get("/health"));
        assertTrue(health.startsWith("HTTP/1.1 200 OK\r\n"), health);
        assertTrue(health.contains("\r\nConnection: close\r\n"), "no keep-alive past the limit: " + health);
        assertEquals("{\"status\":\"alive\"}", body(health));

        String ready = MaxConnectionsTest.exchange(f, get("/ready?probe=kubelet"));
        assertTrue(ready.startsWith("HTTP/1.1 200 OK\r\n"), ready);
        assertEquals("ready", ServerFixture.JSON.readTree(body(ready)).get("status").asText(), ready);

        String metrics = MaxConnectionsTest.exchange(f, get("/metrics"));
        assertTrue(metrics.startsWith("HTTP/1.1 200 OK\r\n"), metrics);
        assertTrue(metrics.contains("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), metrics);
        assertTrue(body(metrics).contains("\nresumo_open_connections " + PLACES + "\n"), metrics);

        String head = MaxConnectionsTest.exchange(f, "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.endsWith("\r\n\r\n"), "HEAD: headers only: " + head);

        assertEquals(PLACES, MaxConnectionsTest.metric(f, "resumo_open_connections"), "the probes never took a place");
        assertEquals(0, MaxConnectionsTest.metric(f, "resumo_connections_refused_total{answer=\"503\"}"));
    }

    @Test
    void everyOtherRequestPastTheLimitStillGetsThe503() throws Exception {
        String summary = "{\"text\": \"um dois três\"}";
        MaxConnectionsTest.assertRefused(MaxConnectionsTest.exchange(f, "POST /v1/summarize HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + summary.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + "\r\n\r\n" + summary));
        MaxConnectionsTest.assertRefused(MaxConnectionsTest.exchange(f, get("/")));
        MaxConnectionsTest.assertRefused(MaxConnectionsTest.exchange(f, get("/health/")));
        MaxConnectionsTest.assertRefused(MaxConnectionsTest.exchange(f, "OPTIONS /health HTTP/1.1\r\nHost: x\r\n\r\n"));
        MaxConnectionsTest.assertRefused(MaxConnectionsTest.exchange(f, "NOT A REQUEST\r\n\r\n"));
        assertEquals(5, MaxConnectionsTest.metric(f, "resumo_connections_refused_total{answer=\"503\"}"));
        assertEquals(0, MaxConnectionsTest.metric(f, "resumo_monitoring_past_limit_total"));
    }

    /** A client that sends nothing, or never ends its head, is answered the 503 after the short wait, not held. */
    @Test
    void aHeadNeverSentOrNeverFinishedGetsThe503() throws Exception {
        MaxConnectionsTest.assertRefused(MaxConnectionsTest.exchange(f, ""));
        MaxConnectionsTest.assertRefused(MaxConnectionsTest.exchange(f, "GET /health HTTP/1.1\r\nHost: x\r\n"));
        assertEquals(2, MaxConnectionsTest.metric(f, "resumo_connections_refused_total{answer=\"503\"}"));
    }

    @Test
    void metricsCountTheProbesUnderTheirPathsAndTheRefusalsUnderTheirs() throws Exception {
        for (int i = 0; i < 3; i++) assertTrue(MaxConnectionsTest.exchange(f, get("/health")).startsWith("HTTP/1.1 200 "));
        assertTrue(MaxConnectionsTest.exchange(f, get("/ready")).startsWith("HTTP/1.1 200 "));
        MaxConnectionsTest.assertRefused(MaxConnectionsTest.exchange(f, get("/")));
        MaxConnectionsTest.assertRefused(MaxConnectionsTest.exchange(f, get("/openapi.json")));
        MaxConnectionsTest.assertRefused(MaxConnectionsTest.exchange(f, ""));

        String scraped = body(MaxConnectionsTest.exchange(f, get("/metrics")));
        for (String line : List.of(
                "resumo_http_requests_total{path=\"/health\",status=\"200\"} 3",
                "resumo_http_requests_total{path=\"/ready\",status=\"200\"} 1",
                "resumo_http_requests_total{path=\"/\",status=\"503\"} 1",
                "resumo_http_requests_total{path=\"/openapi.json\",status=\"503\"} 1",
                "resumo_http_requests_total{path=\"other\",status=\"503\"} 1",
                "resumo_connections_refused_total{answer=\"503\"} 3",
                "resumo_connections_refused_total{answer=\"closed\"} 0",
                "resumo_monitoring_past_limit_total 5", // the scrape itself included
                "resumo_open_connections " + PLACES)) {
            assertTrue(scraped.contains("\n" + line + "\n"), line + " in " + scraped);
        }
        // The scrape counts itself once its text is made, as on a served connection.
        assertEquals(1, MaxConnectionsTest.metric(f, "resumo_http_requests_total{path=\"/metrics\",status=\"200\"}"));
    }
}
