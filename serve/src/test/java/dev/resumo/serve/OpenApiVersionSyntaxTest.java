package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * /openapi.json says OpenAPI 3.0.3, whose schema objects take boolean exclusiveMinimum /
 * exclusiveMaximum next to minimum / maximum (the numeric form is 3.1 / JSON Schema 2020-12).
 */
class OpenApiVersionSyntaxTest {
    @Test
    void exclusiveBoundsUse30Syntax() throws Exception {
        JsonNode doc;
        try (InputStream in = ResumoServer.class.getResourceAsStream("openapi.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        assertTrue(doc.get("openapi").asText().startsWith("3.0"), "the checks below are for OpenAPI 3.0");
        List<String> wrong = new ArrayList<>();
        int[] seen = {0};
        walk(doc, "#", wrong, seen);
        assertEquals(List.of(), wrong, "exclusiveMinimum/exclusiveMaximum must be booleans with a minimum/maximum beside them");
        assertTrue(seen[0] >= 1, "top_p carries an exclusive bound; saw " + seen[0]);
        JsonNode summarize = doc.at("/paths/~1v1~1summarize/post/responses");
        assertTrue(summarize.has("415"), "the 415 answer is documented");
    }

    private static void walk(JsonNode node, String at, List<String> wrong, int[] seen) {
        if (node.isObject()) {
            for (String key : List.of("exclusiveMinimum", "exclusiveMaximum")) {
                if (!node.has(key)) continue;
                seen[0]++;
                String bound = key.equals("exclusiveMinimum") ? "minimum" : "maximum";
                if (!node.get(key).isBoolean()) wrong.add(at + "/" + key + " = " + node.get(key));
                else if (!node.has(bound)) wrong.add(at + "/" + key + " without " + bound);
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) walk(e.getValue(), at + "/" + e.getKey(), wrong, seen);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), at + "/" + i, wrong, seen);
        }
    }
}
