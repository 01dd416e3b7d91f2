package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Login pages answered with 200 are never cached as model files; a stalled body is given up, keeping the part. */
class HubClientGuardsTest {
    private static final RepoId REPO = RepoId.parse("o/html");
    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile String contentType = "text/html; charset=utf-8";
    private volatile byte[] body = "<html>login</html>".getBytes(StandardCharsets.UTF_8);
    private volatile boolean stall;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ex.getResponseHeaders().add("Content-Type", contentType);
            ex.sendResponseHeaders(200, stall ? body.length * 2L : body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body);
            out.flush();
            if (stall) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private HubClient client(Duration stallTimeout) {
        return new HubClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, null, stallTimeout);
    }

    private HubException fails(String file) {
        Path target = dir.resolve(file);
        HubException e = assertThrows(HubException.class, () -> client(Duration.ofSeconds(30)).download(REPO, "main", file, target, false));
        assertFalse(Files.exists(target), file + " must not be stored");
        assertFalse(Files.exists(dir.resolve(file + ".part")), file + ".part must not be kept");
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains("http://127.0.0.1:"), e.getMessage());
        return e;
    }

    @Test
    void htmlAnsweredWith200IsRefusedForEveryFile() {
        for (String f : new String[] {"config.json", "model.safetensors", "spiece.model"}) {
            assertTrue(fails(f).getMessage().contains("HTML"), f);
        }
        // The same page with a content type that says nothing is caught by its content.
        contentType = "application/octet-stream";
        for (String f : new String[] {"config.json", "model.safetensors", "spiece.model"}) fails(f);
    }

    @Test
    void configAndSafetensorsAreCheckedBeforeTheyAreCached() throws Exception {
        contentType = "application/octet-stream";
        body = "[1, 2]".getBytes(StandardCharsets.UTF_8);
        assertTrue(fails("config.json").getMessage().contains("not a JSON object"));
        body = new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0, '{', '}'};
        assertTrue(fails("model.safetensors").getMessage().contains("header length"));
        body = "{\"d_model\": 8}".getBytes(StandardCharsets.UTF_8);
        Path target = dir.resolve("config.json");
        assertTrue(client(Duration.ofSeconds(30)).download(REPO, "main", "config.json", target, false));
        assertArrayEquals(body, Files.readAllBytes(target));
    }

    @Test
    void aBodyThatStallsIsGivenUpAndThePartKept() {
        contentType = "application/octet-stream";
        body = new byte[1000];
        stall = true;
        Path target = dir.resolve("model.safetensors");
        HubException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(HubException.class,
                () -> client(Duration.ofMillis(300)).download(REPO, "main", "model.safetensors", target, false)));
        assertTrue(e.getMessage().contains("no data for") && e.getMessage().contains("resume"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("model.safetensors.part")), "the part is kept for resuming");
        assertFalse(Files.exists(target));
    }

    @Test
    void aCacheThatTakesNoWritesIsReportedAsSuchNotAsANetworkBreak() throws Exception {
        contentType = "application/json";
        body = "{\"d_model\": 8}".getBytes(StandardCharsets.UTF_8);
        Files.createDirectory(dir.resolve("config.json.part")); // a write that fails, even for root (as a full disk does)
        HubException e = assertThrows(HubException.class,
                () -> client(Duration.ofSeconds(30)).download(REPO, "main", "config.json", dir.resolve("config.json"), false));
        assertEquals(HubException.Kind.LOCAL_IO, e.kind());
        assertTrue(e.getMessage().startsWith("o/html/config.json: cannot write " + dir.resolve("config.json.part"))
                && e.getMessage().contains("make the cache folder writable"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("config.json")));
    }

    @Test
    void aMalformedHfEndpointIsNamedBeforeAnyRequest() {
        for (String[] c : new String[][] {{"http:///mirror", "no valid host name"}, {"http://127.0.0.1:99999", "port 99999 is out of range"},
                {"http://127.0.0.1:8080/?x=1", "query or fragment"}, {"ftp://mirror", "http(s) URL"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HubClient.fromEnvironment(java.util.Map.of("HF_ENDPOINT", c[0]), null));
            assertTrue(e.getMessage().startsWith("HF_ENDPOINT '" + c[0] + "'") && e.getMessage().contains(c[1]), e.getMessage());
        }
        // A trailing slash and a path prefix (a mirror under /hf) are fine.
        assertEquals("http://127.0.0.1:8080/hf/o/html/resolve/main/config.json", HubClient.fromEnvironment(
                java.util.Map.of("HF_ENDPOINT", "http://127.0.0.1:8080/hf/"), null).fileUrl(REPO, "main", "config.json").toString());
    }
}
