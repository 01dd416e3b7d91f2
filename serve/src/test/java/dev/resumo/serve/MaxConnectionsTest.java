package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * --max-connections: past N open connections a new one gets a fast 503 (Retry-After, the usual
 * error body) instead of a place; the place comes back when the client closes, when an idle
 * connection times out, and when the server ends a connection itself; nothing stays counted.
 * Before, nothing bounded them: every idle or half-sent connection held a descriptor.
 */
class MaxConnectionsTest {
    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final String HEALTH_CLOSE = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    /** Refused past the limit (monitoring requests are answered there: {@link MonitoringPastLimitTest}). */
    private static final String PAGE = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    private static ServerFixture server(int maxConnections, long idleMs) throws IOException {
        return new ServerFixture(ServerFixture.config().withConnections(maxConnections, idleMs), new FakeEngine(0, 512));
    }

    /** A connection that sends nothing (or half a request head): it holds its place until it leaves or times out. */
    static Socket idle(ServerFixture f, String partial) throws IOException {
        Socket s = new Socket(f.server.uri().getHost(), f.server.port());
        s.setSoTimeout(10_000);
        if (!partial.isEmpty()) {
            s.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }
        return s;
    }

    /** Sends one request on a fresh connection and reads until the server closes it. */
    static String exchange(ServerFixture f, String request) throws IOException {
        try (Socket s = new Socket(f.server.uri().getHost(), f.server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static long metric(ServerFixture f, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(f.server.metrics().prometheusText());
        assertTrue(m.find(), name + " in /metrics");
        return Long.parseLong(m.group(1));
    }

    static void awaitOpen(ServerFixture f, long n) throws InterruptedException {
        ServeApiTest.waitFor(() -> metric(f, "resumo_open_connections") == n, n + " open connections");
    }

    static void assertRefused(String answer) throws IOException {
        assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), answer);
        assertTrue(answer.contains("\r\nRetry-After: 1\r\n"), answer);
        assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
        assertTrue(answer.contains("\r\nX-Request-Id: "), answer);
        JsonNode error = ServerFixture.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error");
        assertEquals(503, error.get("status").asInt(), answer);
        assertEquals("connections", error.get("field").asText(), answer);
        assertTrue(error.get("message").asText().contains("--max-connections"), answer);
    }

    @Test
    void connectionsPastTheLimitGetAFast503AndHealthAnswersOnceSomeClose() throws Exception {
        int n = 4, k = 3;
        try (ServerFixture f = server(n, ServeConfig.DEFAULT_IDLE_TIMEOUT_MS)) {
            List<Socket> holding = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) holding.add(idle(f, i % 2 == 0 ? "" : "GET /health HTTP/1.1\r\n"));
                awaitOpen(f, n);
                for (int i = 0; i < k; i++) {
                    long start = System.nanoTime();
                    String answer = exchange(f, PAGE);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    assertRefused(answer);
                    // the answer waits for the request head it was sent at once, not an idle timeout or a read limit
                    assertTrue(seconds < 2, "refused in " + seconds + " s");
                }
                assertEquals(n, metric(f, "resumo_open_connections"), "the refused never took a place");
                holding.removeFirst().close();
                awaitOpen(f, n - 1);
                assertTrue(exchange(f, HEALTH_CLOSE).startsWith("HTTP/1.1 200 "), "/health answers with a place free");
                String counts = f.server.metrics().prometheusText();
                assertTrue(counts.contains("resumo_connections_refused_total{answer=\"503\"} " + k), counts);
                assertTrue(counts.contains("resumo_http_requests_total{path=\"/\",status=\"503\"} " + k), counts);
                assertTrue(counts.contains("resumo_max_connections " + n), counts);
            } finally {
                for (Socket s : holding) s.close();
            }
            awaitOpen(f, 0);
            System.out.println("max-connections " + n + ": " + k + " extra connections answered 503; /health answered once one closed; 0 left open");
        }
    }

    @Test
    void idleConnectionsTimeOutAndGiveTheirPlaceBack() throws Exception {
        try (ServerFixture f = server(2, 300)) {
            try (Socket neverSpoke = idle(f, ""); Socket keptAlive = idle(f, HEALTH)) {
                InputStream in = keptAlive.getInputStream();
                String first = RawResponses.readResponse(in);
                assertTrue(first.startsWith("HTTP/1.1 200 ") && first.contains("Connection: keep-alive"), first);
                awaitOpen(f, 2);
                assertRefused(exchange(f, PAGE));
                // both idle past 300 ms: the server closes them (the client reads the end of the stream)
                long start = System.nanoTime();
                assertEquals(-1, in.read(), "the kept-alive connection was closed by the server");
                assertEquals(-1, neverSpoke.getInputStream().read(), "the silent connection was closed by the server");
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(seconds < 5, "closed after about the idle timeout, not " + seconds + " s");
                awaitOpen(f, 0);
                assertTrue(exchange(f, HEALTH_CLOSE).startsWith("HTTP/1.1 200 "));
            }
            awaitOpen(f, 0);
        }
    }

    @Test
    void aConnectionTheServerEndsGivesItsPlaceBackBeforeTheClientSeesTheEnd() throws Exception {
        try (ServerFixture f = server(1, ServeConfig.DEFAULT_IDLE_TIMEOUT_MS)) {
            // One place: each Connection: close request must find the place its predecessor left,
            // the moment that predecessor read the end of its connection.
            for (int i = 0; i < 30; i++) {
                String answer = exchange(f, HEALTH_CLOSE);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), "request " + i + ": " + answer);
            }
            // An early error (400 here) is answered with a lingering close: the place is held while the
            // server drains what the client may still send (at most half a second), then given back.
            assertTrue(exchange(f, "NOT A REQUEST\r\n\r\n").startsWith("HTTP/1.1 400 "));
            awaitOpen(f, 0);
            assertTrue(exchange(f, HEALTH_CLOSE).startsWith("HTTP/1.1 200 "));
            assertEquals(0, metric(f, "resumo_connections_refused_total{answer=\"503\"}"), "nobody was refused");
            awaitOpen(f, 0);
        }
    }

    @Test
    void aClientThatLeavesGivesItsPlaceBack() throws Exception {
        try (ServerFixture f = server(1, ServeConfig.DEFAULT_IDLE_TIMEOUT_MS)) {
            Socket holder = idle(f, "POST /v1/summarize HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"te");
            awaitOpen(f, 1);
            assertRefused(exchange(f, PAGE));
            holder.close();
            awaitOpen(f, 0);
            assertTrue(exchange(f, HEALTH_CLOSE).startsWith("HTTP/1.1 200 "));
            awaitOpen(f, 0);
        }
    }

    @Test
    void theServerClosingGivesEveryPlaceBack() throws Exception {
        ServerFixture f = server(3, ServeConfig.DEFAULT_IDLE_TIMEOUT_MS);
        List<Socket> holding = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) holding.add(idle(f, ""));
            awaitOpen(f, 3);
        } finally {
            f.close();
        }
        for (Socket s : holding) {
            try (s) {
                assertEquals(-1, s.getInputStream().read(), "closed by the server's shutdown");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("a connection outlived the server", e);
            } catch (IOException reset) {
                // closed by the server: a reset is as good as an end of stream here
            }
        }
        assertEquals(0, metric(f, "resumo_open_connections"));
    }
}
