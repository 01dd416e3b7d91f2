package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Where a request's body ends must be read one way only: headers a proxy in front could read
 * otherwise (a transfer coding besides chunked, both framings, whitespace before a colon, a
 * signed length) are refused and the connection closed, so nothing is left over to be taken as
 * the next request. And an https:// client on this plain port gets its answer at once.
 */
class HttpFramingTest {
    private static final String JSON = "{\"text\": \"O governo anunciou hoje um novo plano\"}";
    private static final String CHUNKED = Integer.toHexString(JSON.length()) + "\r\n" + JSON + "\r\n0\r\n\r\n";

    private static String post(String headers, String body) {
        return "POST /v1/summarize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + headers + "\r\n" + body;
    }

    /** The first answer's status line, and whether the server closed the connection after it. */
    private static void assertRefusedAndClosed(ServerFixture f, String request, String status, String says) throws Exception {
        // f.raw reads until the server closes: with keep-alive it would wait out its socket timeout and fail
        String answer = f.raw(request);
        assertTrue(answer.startsWith("HTTP/1.1 " + status + "\r\n"), answer);
        assertTrue(answer.contains(says), answer);
        assertTrue(answer.contains("Connection: close\r\n"), answer);
        assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "one answer, nothing read as a next request: " + answer);
    }

    @Test
    void onlyChunkedAloneIsATransferCoding() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            assertRefusedAndClosed(f, post("Transfer-Encoding: gzip, chunked\r\n", CHUNKED), "501 Not Implemented",
                    "transfer-encoding gzip, chunked is not supported");
            assertRefusedAndClosed(f, post("Transfer-Encoding: notchunked\r\n", CHUNKED), "501 Not Implemented",
                    "transfer-encoding notchunked is not supported");
            String ok = f.raw(post("Transfer-Encoding: Chunked\r\nConnection: close\r\n", CHUNKED));
            assertTrue(ok.startsWith("HTTP/1.1 200 OK\r\n"), ok);
            assertEquals(1, engine.batchSizes.size(), "only the chunked body was summarized");
        }
    }

    @Test
    void framingAProxyCouldReadOtherwiseIsRefusedAndTheConnectionClosed() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            String next = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
            assertRefusedAndClosed(f, post("Transfer-Encoding: chunked\r\nContent-Length: " + CHUNKED.length() + "\r\n",
                    CHUNKED + next), "400 Bad Request", "both Transfer-Encoding and Content-Length");
            assertRefusedAndClosed(f, post("Transfer-Encoding : chunked\r\n", CHUNKED + next), "400 Bad Request",
                    "whitespace in or before a header name");
            assertRefusedAndClosed(f, post(" X-Folded: a\r\n", ""), "400 Bad Request", "whitespace in or before a header name");
            assertRefusedAndClosed(f, post("Content-Length: +" + JSON.length() + "\r\n", JSON + next), "400 Bad Request",
                    "bad Content-Length");
            assertRefusedAndClosed(f, post("Transfer-Encoding: chunked\r\n", "+" + CHUNKED + next), "400 Bad Request",
                    "bad chunk size");
            assertTrue(engine.batchSizes.isEmpty(), "nothing summarized from an ambiguous request");
        }
    }

    /**
     * Authorization and Host hold one value: sent twice, they were joined with ", " as list headers
     * are, and two tokens (one of them right) were told "missing or wrong API token". Refused now,
     * naming the header, before any work.
     */
    @Test
    void aSingleValueHeaderSentTwiceIsRefused() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            assertRefusedAndClosed(f, post("Authorization: Bearer a\r\nAuthorization: Bearer b\r\nContent-Length: " + JSON.length()
                    + "\r\n", JSON), "400 Bad Request", "more than one Authorization header; send one");
            assertRefusedAndClosed(f, post("Host: y\r\nContent-Length: " + JSON.length() + "\r\n", JSON), "400 Bad Request",
                    "more than one Host header; send one");
            assertTrue(engine.batchSizes.isEmpty(), "nothing summarized");
            String ok = f.raw(post("Authorization: Bearer a\r\nConnection: close\r\nContent-Length: " + JSON.length() + "\r\n", JSON));
            assertTrue(ok.startsWith("HTTP/1.1 200 OK\r\n"), "one Authorization header is fine (auth off here): " + ok);
        }
    }

    /**
     * A request target is a path from "/", an absolute URL, or "*" for a server-wide OPTIONS
     * (RFC 9112 §3.2). "GET foo", an empty target and "GET *" were looked up as paths and answered
     * 404; OPTIONS * got a 404 too, where it asks what the server takes.
     */
    @Test
    void requestTargetsThatAreNoPathAreRefusedAndOptionsStarIsAnswered() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            assertRefusedAndClosed(f, "GET health HTTP/1.1\r\nHost: x\r\n\r\n", "400 Bad Request",
                    "bad request target 'health': send a path starting with /");
            assertRefusedAndClosed(f, "GET  HTTP/1.1\r\nHost: x\r\n\r\n", "400 Bad Request", "bad request target ''");
            assertRefusedAndClosed(f, "GET * HTTP/1.1\r\nHost: x\r\n\r\n", "400 Bad Request", "'*' is for OPTIONS only");
            String options = f.raw("OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(options.startsWith("HTTP/1.1 204 "), options);
            assertTrue(options.contains("Allow: GET, HEAD, POST, OPTIONS\r\n"), options);
            String absolute = f.raw("GET http://x/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(absolute.startsWith("HTTP/1.1 200 OK\r\n"), "the absolute form still works: " + absolute);
        }
    }

    @Test
    void anHttp11RequestWithoutHostIsRefusedAndHttp10IsServed() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            assertRefusedAndClosed(f, "GET /health HTTP/1.1\r\n\r\n", "400 Bad Request", "no Host header");
            String old = f.raw("GET /health HTTP/1.0\r\n\r\n");
            assertTrue(old.startsWith("HTTP/1.1 200 OK\r\n"), "HTTP/1.0 has no Host header to send: " + old);
        }
    }

    /**
     * A TLS hello holds no line end: the server used to wait the full 60 s read limit, then wrote a
     * 408 the client could not read. It answers at once now.
     */
    @Test
    void aTlsHelloOnThePlainPortIsAnsweredAtOnce() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512));
             Socket s = new Socket(f.server.uri().getHost(), f.server.port())) {
            // generous: on a loaded machine the answer may take a while, but never the 60 s read limit
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            byte[] hello = new byte[64];
            hello[0] = 0x16; // handshake record
            hello[1] = 0x03;
            hello[2] = 0x01;
            out.write(hello);
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
            assertTrue(answer.contains("this server speaks plain HTTP, not TLS: use http://, not https://"), answer);
            assertEquals(200, f.get("/health").statusCode(), "the server serves on");
        }
    }
}
