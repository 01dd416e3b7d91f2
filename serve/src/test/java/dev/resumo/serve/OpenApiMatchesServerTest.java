package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /openapi.json against the running server: every status a request draws from a documented
 * operation is listed there (or named by its "default" answer), with the body and headers the
 * document promises; every bound the server enforces on a setting is the documented one.
 */
class OpenApiMatchesServerTest {
    private static final String TOKEN = "doc-token";
    private static final String OK = "{\"text\": \"um dois três\"}";

    /** One request, the operation it is for, and what it drew. */
    private record Seen(String path, String method, String what, HttpResponse<String> response) {}

    @Test
    void everyStatusTheServerAnswersIsDocumentedWithItsBodyAndHeaders() throws Exception {
        List<Seen> seen = new ArrayList<>();
        ServeConfig config = ServerFixture.config().withTokens(List.of(TOKEN)).withLimits(4096, 64, 30_000, false);
        try (ServerFixture f = new ServerFixture(config, new FakeEngine(0, 10))) {
            seen.add(summarize(f, "ok", "application/json", "Bearer " + TOKEN, OK));
            seen.add(summarize(f, "bad JSON", "application/json", "Bearer " + TOKEN, "{\"text\":"));
            seen.add(summarize(f, "no token", "application/json", null, OK));
            seen.add(summarize(f, "too big", "application/json", "Bearer " + TOKEN, "{\"text\": \"" + "a ".repeat(3000) + "\"}"));
            seen.add(summarize(f, "not JSON", "text/plain", "Bearer " + TOKEN, OK));
            seen.add(summarize(f, "too long for the model", "application/json", "Bearer " + TOKEN,
                    "{\"text\": \"" + "palavra ".repeat(30) + "\"}"));
            seen.add(new Seen("/v1/summarize", "post", "a transfer coding other than chunked", rawAsResponse(f,
                    "POST /v1/summarize HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n")));
            seen.add(new Seen("/v1/summarize", "post", "too many headers", rawAsResponse(f,
                    "POST /v1/summarize HTTP/1.1\r\nHost: x\r\n" + "X-A: 1\r\n".repeat(101) + "\r\n")));
            for (String path : List.of("/", "/health", "/ready", "/metrics", "/openapi.json")) {
                seen.add(new Seen(path, "get", "GET", f.get(path)));
                seen.add(new Seen(path, "get", "DELETE",
                        f.client.send(HttpRequest.newBuilder(f.uri(path)).DELETE().build(), HttpResponse.BodyHandlers.ofString())));
            }
            seen.add(new Seen("/v1/summarize", "post", "GET", f.get("/v1/summarize")));
        }
        try (ServerFixture loading = new ServerFixture(ServerFixture.config(), null)) {
            seen.add(summarize(loading, "model loading", "application/json", null, OK));
            seen.add(new Seen("/ready", "get", "model loading", loading.get("/ready")));
        }
        // Past --max-connections a GET of /health, /ready or /metrics is answered as usual; every other request gets the same 503.
        try (ServerFixture full = new ServerFixture(ServerFixture.config().withConnections(1, 30_000), new FakeEngine(0, 10));
             java.net.Socket holder = new java.net.Socket(full.server.uri().getHost(), full.server.port())) {
            MaxConnectionsTest.awaitOpen(full, 1);
            for (String path : List.of("/", "/health", "/ready", "/metrics", "/openapi.json")) {
                seen.add(new Seen(path, "get", "past --max-connections",
                        rawAsResponse(full, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")));
            }
            seen.add(new Seen("/v1/summarize", "post", "past --max-connections", rawAsResponse(full,
                    "POST /v1/summarize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + OK.length()
                            + "\r\n\r\n" + OK)));
        }

        JsonNode doc = ServerFixture.JSON.readTree(ResumoServer.class.getResourceAsStream("openapi.json"));
        Set<Integer> statuses = new TreeSet<>();
        for (Seen s : seen) {
            int status = s.response().statusCode();
            statuses.add(status);
            String where = s.method() + " " + s.path() + " (" + s.what() + ") answered " + status + ": " + s.response().body();
            JsonNode responses = doc.path("paths").path(s.path()).path(s.method()).path("responses");
            assertFalse(responses.isMissingNode(), "documented operation: " + where);
            JsonNode answer = responses.has(Integer.toString(status)) ? responses.get(Integer.toString(status)) : responses.get("default");
            assertTrue(answer != null, "status documented: " + where);
            if (!responses.has(Integer.toString(status))) {
                assertTrue(statusesNamedIn(answer.get("description").asText()).contains(status),
                        "the default answer names " + status + ": " + where);
            }
            assertTrue(s.response().headers().firstValue("X-Request-Id").isPresent(), "X-Request-Id: " + where);
            for (var header : answer.path("headers").properties()) {
                assertTrue(s.response().headers().firstValue(header.getKey()).isPresent(), header.getKey() + " as documented: " + where);
            }
            JsonNode schemaNode = answer.path("content").path("application/json").path("schema");
            List<String> schemas = new ArrayList<>();
            if (schemaNode.has("$ref")) schemas.add(schemaNode.get("$ref").asText());
            for (JsonNode one : schemaNode.path("oneOf")) schemas.add(one.path("$ref").asText());
            // With a choice of bodies (oneOf), an answer with an "error" member is held to the Error one.
            boolean errorMember = s.response().body().startsWith("{") && ServerFixture.json(s.response()).has("error");
            String schema = schemas.stream().filter(x -> x.endsWith("/Error") == errorMember).findFirst()
                    .orElse(schemas.isEmpty() ? "" : schemas.getFirst());
            if (schema.endsWith("/Error")) {
                JsonNode error = ServerFixture.json(s.response()).get("error");
                assertTrue(error != null, "error shape: " + where);
                assertEquals(status, error.get("status").asInt(), where);
                assertFalse(error.get("field").asText().isBlank(), where);
                assertFalse(error.get("message").asText().isBlank(), where);
            } else if (schema.endsWith("/Ready")) {
                JsonNode ready = ServerFixture.json(s.response());
                assertTrue(ready.has("status") && ready.get("auth").isBoolean(), where);
            }
        }
        assertEquals(Set.of(200, 400, 401, 405, 413, 415, 422, 431, 501, 503), statuses, "the catalogue drew these statuses");
        System.out.println("openapi: " + seen.size() + " requests, statuses " + statuses + " all documented");
    }

    /**
     * What holds for every answer whatever its status, documented on every answer: the X-Request-Id
     * the server always sends, and a 408 for any request that does not arrive whole in time (the
     * HTTP layer answers it before any route is known); and every error status the summarize
     * operation documents has its own explanation on the web page.
     */
    @Test
    void everyAnswerDocumentsWhatTheHttpLayerAddsAndThePageExplainsEveryDocumentedError() throws Exception {
        JsonNode doc = ServerFixture.JSON.readTree(ResumoServer.class.getResourceAsStream("openapi.json"));
        int answers = 0;
        for (var path : doc.path("paths").properties()) {
            for (var op : path.getValue().properties()) {
                JsonNode responses = op.getValue().path("responses");
                String where = op.getKey() + " " + path.getKey();
                for (var answer : responses.properties()) {
                    assertTrue(answer.getValue().path("headers").has("X-Request-Id"), where + " " + answer.getKey() + " documents X-Request-Id");
                    answers++;
                }
                for (int status : List.of(408, 503)) { // a read limit and --max-connections hold for every path
                    assertTrue(responses.has(Integer.toString(status))
                                    || statusesNamedIn(responses.path("default").path("description").asText()).contains(status),
                            where + ": " + status + " documented");
                }
            }
        }
        String page = new String(ResumoServer.class.getResourceAsStream("index.html").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Set<Integer> explained = new TreeSet<>();
        Matcher m = Pattern.compile("case (\\d{3}): return").matcher(page);
        while (m.find()) explained.add(Integer.parseInt(m.group(1)));
        Set<Integer> documented = new TreeSet<>();
        doc.at("/paths/~1v1~1summarize/post/responses").fieldNames().forEachRemaining(k -> {
            if (k.matches("[45]\\d\\d")) documented.add(Integer.parseInt(k));
        });
        assertTrue(explained.containsAll(documented), "the page explains " + explained + ", the API documents " + documented);
        System.out.println("openapi: " + answers + " answers document X-Request-Id; the page explains " + documented);
    }

    @Test
    void everyBoundTheServerEnforcesIsTheDocumentedOne() throws Exception {
        JsonNode props = ServerFixture.JSON.readTree(ResumoServer.class.getResourceAsStream("openapi.json"))
                .at("/components/schemas/SummarizeRequest/properties");
        ServeConfig config = ServerFixture.config();
        Map<String, Integer> configured = Map.of("--max-new-tokens-limit", config.maxNewTokensLimit(),
                "--max-beams-limit", config.maxBeamsLimit());
        int checked = 0;
        try (ServerFixture f = new ServerFixture(config, new FakeEngine(0, 512))) {
            for (var e : props.properties()) {
                String field = e.getKey();
                JsonNode p = e.getValue();
                boolean integer = p.path("type").asText().equals("integer");
                if (!integer && !p.path("type").asText().equals("number")) continue;
                if (field.equals("seed")) continue; // int64: its bounds are the type's
                // Sampling settings are checked with sampling on, so nothing else stands in the way.
                String context = field.equals("min_new_tokens") ? ", \"max_new_tokens\": 40" : "";
                BigDecimal step = integer ? BigDecimal.ONE : new BigDecimal("0.0001");
                BigDecimal min = p.has("minimum") ? p.get("minimum").decimalValue() : null;
                BigDecimal max = p.has("maximum") ? p.get("maximum").decimalValue() : null;
                String from = p.path("x-maximum-from").asText("");
                if (from.equals("max_new_tokens")) max = BigDecimal.valueOf(40);
                else if (!from.isEmpty()) max = BigDecimal.valueOf(configured.get(from));
                boolean exclusiveMin = p.path("exclusiveMinimum").asBoolean(false);
                boolean exclusiveMax = p.path("exclusiveMaximum").asBoolean(false);
                if (min != null) {
                    assertAccepted(f, field, exclusiveMin ? min.add(step) : min, context);
                    assertRefused(f, field, exclusiveMin ? min : min.subtract(step), context);
                } else {
                    assertAccepted(f, field, new BigDecimal(integer ? "-1000000000" : "-1e9"), context);
                }
                if (max != null) {
                    assertAccepted(f, field, exclusiveMax ? max.subtract(step) : max, context);
                    assertRefused(f, field, exclusiveMax ? max : max.add(step), context);
                } else {
                    assertAccepted(f, field, new BigDecimal(integer ? "1000000000" : "1e9"), context);
                }
                checked++;
            }
        }
        assertTrue(checked >= 9, "numeric settings checked: " + checked);
        System.out.println("openapi: bounds of " + checked + " numeric settings match the server");
    }

    private static void assertAccepted(ServerFixture f, String field, BigDecimal v, String context) throws Exception {
        HttpResponse<String> r = f.post(body(field, v, context));
        assertEquals(200, r.statusCode(), field + " = " + v.toPlainString() + " is within the documented bounds: " + r.body());
    }

    private static void assertRefused(ServerFixture f, String field, BigDecimal v, String context) throws Exception {
        ServeApiTest.assertError(f.post(body(field, v, context)), 400, field);
    }

    private static String body(String field, BigDecimal v, String context) {
        // num_return_sequences above 1 needs sampling or beams (greedy decoding has one answer).
        String sampling = Set.of("temperature", "top_k", "top_p", "num_return_sequences").contains(field)
                ? ", \"do_sample\": true" : "";
        return "{\"text\": \"um dois três\", \"" + field + "\": " + v.toPlainString() + sampling + context + "}";
    }

    private static Seen summarize(ServerFixture f, String what, String contentType, String auth, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri("/v1/summarize")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) b.header("Authorization", auth);
        return new Seen("/v1/summarize", "post", what, f.client.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** The numbers like 404 that a description names. */
    private static Set<Integer> statusesNamedIn(String description) {
        Set<Integer> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\b([1-5]\\d\\d)\\b").matcher(description);
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    /** A raw exchange (for requests the JDK client will not send) read back as a response. */
    private static HttpResponse<String> rawAsResponse(ServerFixture f, String request) throws Exception {
        String answer = f.raw(request);
        int status = Integer.parseInt(answer.substring(9, 12));
        int split = answer.indexOf("\r\n\r\n");
        Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line : answer.substring(0, split).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) headers.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        String body = answer.substring(split + 4);
        return new RawResponse(status, java.net.http.HttpHeaders.of(headers, (a, b) -> true), body);
    }

    private record RawResponse(int statusCode, java.net.http.HttpHeaders headers, String body) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.URI uri() {
            return null;
        }

        @Override
        public java.net.http.HttpClient.Version version() {
            return java.net.http.HttpClient.Version.HTTP_1_1;
        }
    }
}
