package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Bodies an API client really sends: a field twice, whole numbers written as 64.0, integers past
 * any range, and bodies declared in a charset other than UTF-8.
 */
class RequestBodyEdgesTest {
    private static final String TEXT = "O governo anunciou hoje um novo plano";

    /**
     * An HTTP/1.0 client posting a body without Content-Length: the body has no length the server
     * could read, so the answer says what is missing (411) instead of "expected a JSON object".
     */
    @Test
    void aPostWithoutContentLengthIs411() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512));
             Socket s = new Socket(f.server.uri().getHost(), f.server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/summarize HTTP/1.0\r\nContent-Type: application/json\r\n\r\n{\"text\": \"" + TEXT + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = RawResponses.readResponse(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 411 Length Required\r\n"), answer);
            assertTrue(answer.contains("a POST needs a Content-Length header (or chunked transfer coding)"), answer);
            assertEquals(200, f.post("{\"text\": \"" + TEXT + "\"}").statusCode(), "the same body with its length is fine");
        }
    }

    @Test
    void aFieldGivenTwiceIsRefusedNotSilentlyOverwritten() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            HttpResponse<String> r = f.post("{\"text\": \"primeiro texto aqui\", \"text\": \"segundo texto aqui\"}");
            ServeApiTest.assertError(r, 400, "text");
            assertTrue(r.body().contains("given twice"), r.body());
            ServeApiTest.assertError(f.post("{\"text\": \"" + TEXT + "\", \"max_new_tokens\": 10, \"max_new_tokens\": 20}"),
                    400, "max_new_tokens");
            assertTrue(engine.batchSizes.isEmpty(), "nothing generated for an ambiguous body");
        }
    }

    /** Two objects in one body (a client batching by concatenation) is one error, not the first object served. */
    @Test
    void textAfterTheJsonObjectIsRefused() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            HttpResponse<String> r = f.post("{\"text\": \"" + TEXT + "\"} {\"text\": \"segundo texto aqui\"}");
            ServeApiTest.assertError(r, 400, "body");
            assertTrue(r.body().contains("not valid JSON"), r.body());
            ServeApiTest.assertError(f.post("{\"text\": \"" + TEXT + "\"}}"), 400, "body");
            assertTrue(engine.batchSizes.isEmpty(), "nothing generated for either body");
        }
    }

    @Test
    void wholeNumbersWrittenWithAFractionOrExponentAreIntegers() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            HttpResponse<String> r = f.post("{\"text\": \"" + TEXT + "\", \"max_new_tokens\": 20.0, \"num_beams\": 2.0}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(FakeEngine.expected(TEXT, 20), ServerFixture.json(r).get("summaries").get(0).asText());
            assertEquals(2, engine.batchSettings.get(0).numBeams());
            r = f.post("{\"text\": \"" + TEXT + "\", \"max_new_tokens\": 1e2, \"seed\": 7.0, \"do_sample\": true}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(FakeEngine.expected(TEXT, 100), ServerFixture.json(r).get("summaries").get(0).asText());
            assertEquals(7L, engine.batchSettings.get(1).seed());
            ServeApiTest.assertError(f.post("{\"text\": \"" + TEXT + "\", \"max_new_tokens\": 20.5}"), 400, "max_new_tokens");
            ServeApiTest.assertError(f.post("{\"text\": \"" + TEXT + "\", \"num_beams\": 1e-1}"), 400, "num_beams");
        }
    }

    /** do_sample with num_beams 3 is beam sampling, as transformers runs it (was refused 400 "sampling needs num_beams 1"). */
    @Test
    void samplingWithBeamsReachesTheEngineAsBeamSampling() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            HttpResponse<String> r = f.post("{\"text\": \"" + TEXT + "\", \"num_beams\": 3, \"do_sample\": true,"
                    + " \"temperature\": 0.8, \"top_k\": 20, \"seed\": 4, \"early_stopping\": true}");
            assertEquals(200, r.statusCode(), r.body());
            var s = engine.batchSettings.get(0);
            assertEquals(3, s.numBeams());
            assertTrue(s.doSample(), s.toString());
            assertEquals(0.8f, s.temperature());
            assertEquals(20, s.topK());
            assertEquals(4L, s.seed());
            assertEquals(dev.resumo.t5.generate.GenerationConfig.EarlyStopping.TRUE, s.earlyStopping(), "a beam setting kept");
        }
    }

    @Test
    void integersPastEveryRangeSayTheRangeNotTheType() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            HttpResponse<String> r = f.post("{\"text\": \"" + TEXT + "\", \"max_new_tokens\": 99999999999999999999}");
            ServeApiTest.assertError(r, 400, "max_new_tokens");
            assertTrue(r.body().contains("must be in [1, 512], got 99999999999999999999"), r.body());
            r = f.post("{\"text\": \"" + TEXT + "\", \"seed\": 99999999999999999999, \"do_sample\": true}");
            ServeApiTest.assertError(r, 400, "seed");
            assertTrue(r.body().contains("must be in [-9223372036854775808, 9223372036854775807]"), r.body());
            r = f.post("{\"text\": \"" + TEXT + "\", \"top_k\": 1e400}");
            ServeApiTest.assertError(r, 400, "top_k");
        }
    }

    @Test
    void aBodyDeclaredInAnotherCharsetIs415NamingIt() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            byte[] latin1 = "{\"text\": \"ação pública aqui\"}".getBytes(StandardCharsets.ISO_8859_1);
            HttpResponse<String> r = post(f, "application/json; charset=ISO-8859-1", latin1);
            ServeApiTest.assertError(r, 415, "Content-Type");
            assertTrue(r.body().contains("charset=iso-8859-1") && r.body().contains("UTF-8"), r.body());
            ServeApiTest.assertError(post(f, "application/json;charset=\"windows-1252\"", latin1), 415, "Content-Type");

            byte[] utf8 = "{\"text\": \"ação pública aqui\"}".getBytes(StandardCharsets.UTF_8);
            for (String ok : new String[] {"application/json; charset=utf-8", "application/json; charset=\"UTF-8\"",
                                           "application/json;charset=utf8"}) {
                r = post(f, ok, utf8);
                assertEquals(200, r.statusCode(), ok + ": " + r.body());
                assertEquals("ação pública aqui [64]", ServerFixture.json(r).get("summaries").get(0).asText(), ok);
            }
        }
    }

    private static HttpResponse<String> post(ServerFixture f, String contentType, byte[] body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(f.uri("/v1/summarize")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return f.client.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
