package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What an HTTP client sees besides the summaries: methods, paths, headers, request ids. */
class HttpSurfaceTest {
    private static final String TEXT = "{\"text\": \"um dois três quatro\"}";

    @Test
    void optionsListsTheMethodsAndA405ListsThemToo() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            HttpResponse<String> o = send(f, "OPTIONS", "/v1/summarize");
            assertEquals(204, o.statusCode(), o.body());
            assertEquals("POST, OPTIONS", o.headers().firstValue("Allow").orElse(""));
            assertEquals("", o.body());
            assertTrue(o.headers().firstValue("Content-Length").isEmpty(), "a 204 has no Content-Length");
            HttpResponse<String> oh = send(f, "OPTIONS", "/health");
            assertEquals(204, oh.statusCode());
            assertEquals("GET, HEAD, OPTIONS", oh.headers().firstValue("Allow").orElse(""));

            HttpResponse<String> del = send(f, "DELETE", "/metrics");
            ServeApiTest.assertError(del, 405, "method");
            assertEquals("GET, HEAD, OPTIONS", del.headers().firstValue("Allow").orElse(""), "HEAD works there, so Allow says so");
            HttpResponse<String> head = send(f, "HEAD", "/metrics");
            assertEquals(200, head.statusCode(), "HEAD as Allow promises");
            HttpResponse<String> put = send(f, "PUT", "/v1/summarize");
            ServeApiTest.assertError(put, 405, "method");
            assertEquals("POST, OPTIONS", put.headers().firstValue("Allow").orElse(""));
            // The connection stays usable after a 204 (no body was expected, none was sent).
            assertEquals(200, f.post(TEXT).statusCode());
        }
    }

    @Test
    void aTrailingSlashGetsAHintAndOtherUnknownPathsListTheEndpoints() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            HttpResponse<String> r = f.get("/health/");
            ServeApiTest.assertError(r, 404, "path");
            assertTrue(r.body().contains("did you mean /health (no trailing slash)?"), r.body());
            r = f.get("/summarize");
            ServeApiTest.assertError(r, 404, "path");
            assertTrue(r.body().contains("POST /v1/summarize"), r.body());
            // Query strings are ignored on every endpoint.
            assertEquals(200, f.get("/health?probe=1").statusCode());
        }
    }

    @Test
    void everyAnswerCarriesARequestIdTheClientsOwnWhenItIsAPlainToken() throws Exception {
        ServeConfig small = ServerFixture.config().withLimits(100, 64, 30_000, true);
        try (ServerFixture f = new ServerFixture(small, new FakeEngine(0, 512))) {
            String a = f.post(TEXT).headers().firstValue("X-Request-Id").orElse("");
            String b = f.post(TEXT).headers().firstValue("X-Request-Id").orElse("");
            assertTrue(a.matches("[0-9a-f]{16}"), "generated id: " + a);
            assertNotEquals(a, b, "one id per request");
            assertEquals(List.of("trace-42.abc"), post(f, "trace-42.abc").headers().allValues("X-Request-Id"));
            String injected = post(f, "bad id with spaces").headers().firstValue("X-Request-Id").orElse("");
            assertTrue(injected.matches("[0-9a-f]{16}"), "an id that is not a plain token is replaced: " + injected);
            // Errors raised while reading the request (413 here) carry one too.
            HttpResponse<String> big = post(f, "big-1", "{\"text\": \"" + "a".repeat(200) + "\"}");
            assertEquals(413, big.statusCode());
            assertEquals("big-1", big.headers().firstValue("X-Request-Id").orElse(""));
        }
    }

    @Test
    void securityHeadersOnEveryAnswerAndAPagePolicyThatAllowsOnlyItsOwnInlineCode() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            for (HttpResponse<String> r : List.of(f.get("/health"), f.get("/nope"), f.post(TEXT), f.get("/openapi.json"))) {
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), r.uri().toString());
                assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), r.uri().toString());
                assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""), r.uri().toString());
                assertEquals("default-src 'none'; frame-ancestors 'none'",
                        r.headers().firstValue("Content-Security-Policy").orElse(""), r.uri().toString());
            }
            HttpResponse<String> page = f.get("/");
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.startsWith("default-src 'none'; "), csp);
            assertTrue(csp.contains("connect-src 'self'") && csp.contains("frame-ancestors 'none'")
                    && csp.contains("form-action 'none'"), csp);
            assertFalse(csp.contains("unsafe-inline"), csp);
            assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
            for (String tag : List.of("script", "style")) {
                Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(page.body());
                assertTrue(m.find(), "the page has an inline " + tag);
                String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(m.group(1).getBytes(StandardCharsets.UTF_8)));
                assertTrue(csp.contains(tag + "-src 'sha256-" + hash + "'"), tag + " allowed by its hash: " + csp);
            }
            assertFalse(page.body().contains(" style=\""), "no style attributes: the policy would block them");
            assertFalse(page.body().matches("(?s).*\\son[a-z]+=.*"), "no inline event handlers: the policy would block them");
        }
    }

    @Test
    void absoluteFormRequestTargetsReachTheirEndpoint() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            String answer = f.raw("GET http://127.0.0.1:" + f.server.port() + "/health?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.endsWith("{\"status\":\"alive\"}"), answer);
        }
    }

    @Test
    void readySaysWhetherATokenIsNeeded() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config().withTokens(List.of("t0k")), null)) {
            JsonNode loading = ServerFixture.json(f.get("/ready"));
            assertEquals("loading", loading.get("status").asText());
            assertTrue(loading.get("auth").asBoolean(), loading.toString());
            f.server.engineReady(new FakeEngine(0, 512));
            JsonNode ready = ServerFixture.json(f.get("/ready"));
            assertEquals("ready", ready.get("status").asText());
            assertTrue(ready.get("auth").asBoolean());
        }
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            assertFalse(ServerFixture.json(f.get("/ready")).get("auth").asBoolean());
        }
    }

    private static HttpResponse<String> send(ServerFixture f, String method, String path) throws Exception {
        return f.client.send(HttpRequest.newBuilder(f.uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ServerFixture f, String requestId) throws Exception {
        return post(f, requestId, TEXT);
    }

    private static HttpResponse<String> post(ServerFixture f, String requestId, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(f.uri("/v1/summarize")).header("Content-Type", "application/json")
                .header("X-Request-Id", requestId).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return f.client.send(req, HttpResponse.BodyHandlers.ofString());
    }
}
