package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A setting put in the URL (?max_new_tokens=20) was ignored without a word, while an unknown JSON
 * field is refused: the summary came back at the default length.
 */
class QueryStringRefusedTest {
    @Test
    void aQueryStringOnSummarizeIsA400NamingIt() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            HttpRequest r = HttpRequest.newBuilder(f.uri("/v1/summarize?max_new_tokens=20")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"um dois três quatro\"}")).build();
            HttpResponse<String> answer = f.client.send(r, HttpResponse.BodyHandlers.ofString());
            ServeApiTest.assertError(answer, 400, "query");
            assertTrue(answer.body().contains("max_new_tokens=20") && answer.body().contains("JSON body"), answer.body());
            assertEquals(200, f.post("{\"text\": \"um dois três quatro\"}").statusCode(), "without it the same request is served");
        }
    }
}
