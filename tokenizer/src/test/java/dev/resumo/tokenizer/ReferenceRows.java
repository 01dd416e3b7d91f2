package dev.resumo.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Rows of a committed reference file made by weights-tools/make_tokenizer_fixtures.py. */
record ReferenceRows(List<JsonNode> rows) {
    static ReferenceRows resource(String name) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = ReferenceRows.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("test resource " + name + " is missing");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) rows.add(json.readTree(line));
            }
        }
        return new ReferenceRows(rows);
    }

    static Path resourcePath(String name) {
        try {
            return Path.of(ReferenceRows.class.getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }
}
