package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 429 (rate limit) or a 5xx is asked again, waiting what Retry-After says (0 here, so the test
 * waits for nothing); one that persists, or asks for a longer wait than a run should sit through,
 * ends in one line that says which and what to do. Each used to end the run at the first answer.
 */
class HubRetryTest {
    private static final RepoId REPO = RepoId.parse("o/m");
    private static final byte[] CONFIG = "{\"d_model\": 8}".getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    /** Statuses answered before the file, one per request; "status retryAfter". */
    private final Deque<String> refusals = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            String refusal;
            synchronized (refusals) {
                refusal = refusals.poll();
            }
            if (refusal != null) {
                String[] p = refusal.split(" ");
                ex.getResponseHeaders().add("Retry-After", p[1]);
                ex.sendResponseHeaders(Integer.parseInt(p[0]), -1);
            } else {
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, CONFIG.length);
                ex.getResponseBody().write(CONFIG);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void refuse(int times, String statusAndRetryAfter) {
        for (int i = 0; i < times; i++) refusals.add(statusAndRetryAfter);
    }

    private HubClient client(PrintStream log) {
        return new HubClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, log);
    }

    @Test
    void rateLimitsAndServerErrorsAreAskedAgain() throws Exception {
        refuse(1, "429 0");
        refuse(1, "503 0");
        refuse(1, "502 0");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path target = dir.resolve("config.json");
        assertTrue(client(new PrintStream(log, true, StandardCharsets.UTF_8)).download(REPO, "main", "config.json", target, false));
        assertArrayEquals(CONFIG, Files.readAllBytes(target));
        assertEquals(4, requests.get());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("HTTP 429 from 127.0.0.1 for o/m/config.json; trying again in 0.0 s (try 2 of 5)"),
                log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPersistentErrorEndsAfterFiveTriesSayingSo() {
        refuse(HubRetry.MAX_TRIES, "503 0");
        Path target = dir.resolve("config.json");
        HubException e = assertThrows(HubException.class, () -> client(null).download(REPO, "main", "config.json", target, false));
        assertEquals(HubRetry.MAX_TRIES, requests.get());
        assertEquals("o/m: config.json: HTTP 503 from 127.0.0.1 (the server failed; still so after 5 tries); run again later", e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void aLongRetryAfterIsNotSatOutButNamed() {
        refuse(1, "429 3600");
        HubException e = assertThrows(HubException.class, () -> client(null).listFiles(RepoKind.DATASET, REPO, "main"));
        assertEquals(1, requests.get());
        assertTrue(e.getMessage().contains("HTTP 429") && e.getMessage().contains("rate-limiting")
                && e.getMessage().contains("wait 3600 s (Retry-After)"), e.getMessage());
    }
}
