package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Iterator;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every status the API documents goes out with its own reason phrase on the status line (a 415 was
 * sent as "415 Status", the fallback, which logs and proxies show as is).
 */
class StatusReasonTest {
    @Test
    void everyDocumentedStatusHasItsReasonPhrase() throws Exception {
        JsonNode doc;
        try (InputStream in = ResumoServer.class.getResourceAsStream("openapi.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        TreeSet<Integer> statuses = new TreeSet<>();
        for (JsonNode path : doc.get("paths")) {
            for (JsonNode operation : path) {
                JsonNode responses = operation.get("responses");
                if (responses == null) continue;
                for (Iterator<String> it = responses.fieldNames(); it.hasNext(); ) {
                    String code = it.next();
                    if (code.matches("\\d{3}")) statuses.add(Integer.parseInt(code));
                }
            }
        }
        assertTrue(statuses.containsAll(java.util.List.of(200, 400, 401, 408, 413, 415, 422, 429, 503, 504)),
                "openapi.json lists the API's statuses: " + statuses);
        for (int status : statuses) {
            assertNotEquals("Status", HttpServerCore.reason(status), "reason phrase of " + status);
        }
        assertEquals("Unsupported Media Type", HttpServerCore.reason(415));
        System.out.println("StatusReasonTest: " + statuses.size() + " documented statuses have a reason phrase: " + statuses);
    }
}
