package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a request slowly (slowloris) or too many connections at once. Before: a request
 * trickling a byte every few seconds held its connection forever (every byte renewed the idle
 * timeout), and once the process's file descriptors ran out the accepting thread died — the server
 * went on running and never answered anyone again, /health included.
 */
class SlowClientsTest {
    private static final HttpHandler OK = (request, client) -> HttpResponse.text(200, "text/plain", "ok");

    @Test
    void aRequestTricklingInIsCutOffAtTheReadLimitWith408() throws Exception {
        try (HttpServerCore core = new HttpServerCore("127.0.0.1", 0, 1 << 20, Duration.ofMillis(1500), OK);
             Socket s = new Socket("127.0.0.1", core.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("POST /v1/summarize HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = null;
            // One body byte every 300 ms: each arrives well within the 30 s idle timeout, the whole never within 1.5 s.
            for (int i = 0; i < 100 && answer == null; i++) {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException closed) {
                    break; // the server closed its side: its answer is waiting to be read
                }
                Thread.sleep(300);
                if (s.getInputStream().available() > 0) break;
            }
            answer = readAll(s.getInputStream());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout"), answer);
            assertTrue(answer.contains("did not arrive within 1.5 s"), answer);
            assertTrue(answer.contains("\r\nX-Request-Id: "), "the 408 carries X-Request-Id as every answer does: " + answer);
            assertTrue(seconds < 5, "cut off near the limit, not held: " + seconds + " s");
            // A request sent whole right after is served as ever.
            try (Socket t = new Socket("127.0.0.1", core.port())) {
                t.setSoTimeout(10_000);
                t.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(readAll(t.getInputStream()).startsWith("HTTP/1.1 200"));
            }
        }
    }

    @Test
    void aKeptAliveConnectionMayIdleBetweenRequestsLongerThanTheReadLimit() throws Exception {
        try (HttpServerCore core = new HttpServerCore("127.0.0.1", 0, 1 << 20, Duration.ofMillis(500), OK);
             Socket s = new Socket("127.0.0.1", core.port())) {
            s.setSoTimeout(10_000);
            byte[] get = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(get);
            assertTrue(RawResponses.readResponse(s.getInputStream()).startsWith("HTTP/1.1 200"));
            Thread.sleep(1200); // idle, between requests: the idle timeout's business, not the read limit's
            s.getOutputStream().write(get);
            assertTrue(RawResponses.readResponse(s.getInputStream()).startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void runningOutOfFileDescriptorsDoesNotLeaveAServerThatAnswersNoOne() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")) && System.getProperty("os.name").toLowerCase().contains("linux"),
                "needs a shell with ulimit (Linux)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // 160 descriptors: the JVM and its class path take a few dozen; the slow clients below take the rest.
        Process server = new ProcessBuilder("/bin/sh", "-c", "ulimit -n 160 && exec \"$0\" -Xmx64m -XX:TieredStopAtLevel=1 -cp \"$1\" "
                + TinyHttpMain.class.getName() + " 2000", java, System.getProperty("java.class.path")).redirectErrorStream(true).start();
        List<Socket> slow = new ArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            assertTrue(first != null && first.startsWith("port "), "server start: " + first);
            int port = Integer.parseInt(first.substring(5).strip());
            Thread drain = Thread.ofPlatform().daemon().start(() -> lines.lines().forEach(l -> {})); // keep its output flowing
            // 180 connections that each send half a request head and then nothing: more than the process can hold.
            for (int i = 0; i < 180; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream().write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            Thread.sleep(500);
            for (Socket s : slow) s.close(); // they give up; the server has descriptors again
            slow.clear();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            String answer = "";
            while (System.nanoTime() < deadline) {
                try (Socket t = new Socket("127.0.0.1", port)) {
                    t.setSoTimeout(2000);
                    t.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    answer = readAll(t.getInputStream());
                    if (answer.startsWith("HTTP/1.1 200")) break;
                } catch (SocketTimeoutException e) {
                    answer = "no answer within 2 s";
                }
                Thread.sleep(200);
            }
            assertTrue(answer.startsWith("HTTP/1.1 200"), "the server answers again once connections are gone: " + answer);
            assertTrue(server.isAlive());
            drain.interrupt();
        } finally {
            for (Socket s : slow) s.close();
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(false, server.isAlive());
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
