package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Texts that are not Unicode (half a surrogate pair spelled as a JSON escape) and the wording of
 * JSON syntax errors, as an API client meets them.
 */
class UnicodeAndParserMessagesTest {
    @Test
    void anUnpairedSurrogateIsRefusedNamingTheTextAndWhere() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            HttpResponse<String> r = f.post("{\"text\": \"abc \\ud800 def\"}");
            ServeApiTest.assertError(r, 400, "text");
            assertTrue(r.body().contains("unpaired surrogate \\\\ud800 at character 4"), r.body());
            r = f.post("{\"texts\": [\"um texto bom\", \"fim \\udc00\"]}");
            ServeApiTest.assertError(r, 400, "texts[1]");
            assertTrue(r.body().contains("\\\\udc00 at character 4"), r.body());
            ServeApiTest.assertError(f.post("{\"text\": \"\\udc00\\ud800 texto\"}"), 400, "text"); // reversed pair
            assertTrue(engine.batchSizes.isEmpty(), "nothing generated for a text that is not Unicode");

            r = f.post("{\"text\": \"um emoji \\ud83d\\ude00 inteiro\"}"); // a whole pair is one character
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("um emoji \uD83D\uDE00 [64]", ServerFixture.json(r).get("summaries").get(0).asText());
        }
    }

    /**
     * The API takes UTF-8 only (a body declared charset=utf-16 is 415), yet the parser detected
     * UTF-16 and UTF-32 by their zero bytes and served such bodies.
     */
    @Test
    void aBodyInUtf16OrUtf32IsRefusedNamingUtf8() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            String json = "{\"text\": \"ação pública aqui\"}";
            for (String charset : new String[] {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"}) {
                byte[] wide = json.getBytes(java.nio.charset.Charset.forName(charset));
                java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(f.uri("/v1/summarize"))
                        .timeout(java.time.Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(wide)).build();
                HttpResponse<String> r = f.client.send(req, HttpResponse.BodyHandlers.ofString());
                ServeApiTest.assertError(r, 400, "body");
                assertTrue(r.body().contains("not UTF-8") && r.body().contains("encode it as UTF-8"), charset + ": " + r.body());
            }
            assertTrue(engine.batchSizes.isEmpty(), "nothing generated from a body in another encoding");
            HttpResponse<String> bom = f.post("\uFEFF" + json); // UTF-8 with a byte-order mark is still UTF-8
            assertEquals(200, bom.statusCode(), bom.body());
        }
    }

    @Test
    void unpairedSurrogateFindsOnlyHalves() {
        assertEquals(-1, SummarizeRequest.unpairedSurrogate("a\uD83D\uDE00b"));
        assertEquals(1, SummarizeRequest.unpairedSurrogate("a\uD83D"));
        assertEquals(0, SummarizeRequest.unpairedSurrogate("\uDE00\uD83D"));
        assertEquals(2, SummarizeRequest.unpairedSurrogate("\uD83D\uDE00\uD83Dx"));
    }

    /**
     * Jackson's messages advise turning on its own features ("enable `JsonReadFeature...` to
     * allow") and name its classes: nothing a client can act on. The error still says what is wrong.
     */
    @Test
    void syntaxErrorsSayWhatIsWrongWithoutTheParsersSwitches() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            String[][] cases = {
                {"{\"text\": \"a\", \"temperature\": NaN}", "Non-standard token 'NaN'"},
                {"{\"text\": \"a\", \"max_new_tokens\": +5}", "JSON spec does not allow numbers to have plus signs"},
                {"{\"text\": \"a\"} {\"text\": \"b\"}", "Trailing token (of type START_OBJECT) found after value"},
                {"{\"text\": \"a\" /* c */}", "maybe a (non-standard) comment?"},
                {"[".repeat(1500) + "]".repeat(1500), "Document nesting depth (1001) exceeds the maximum allowed (1000)"},
            };
            for (String[] c : cases) {
                HttpResponse<String> r = f.post(c[0]);
                ServeApiTest.assertError(r, 400, "body");
                String message = ServerFixture.json(r).get("error").get("message").asText();
                assertTrue(message.startsWith("not valid JSON") && message.contains(c[1]), c[0] + " -> " + message);
                assertFalse(message.contains("`") || message.contains("enable") || message.contains("jackson")
                        || message.contains("Feature"), c[0] + " -> " + message);
            }
        }
    }
}
