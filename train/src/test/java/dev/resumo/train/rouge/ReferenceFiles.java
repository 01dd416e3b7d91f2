package dev.resumo.train.rouge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the files weights-tools/make_rouge_reference.py wrote under src/test/resources/rouge/. */
final class ReferenceFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Pair(String id, String prediction, String reference) {}

    private ReferenceFiles() {}

    static JsonNode json(String name) {
        try (InputStream in = open(name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Pair> pairs() {
        try (InputStream in = open("pairs.jsonl")) {
            List<Pair> pairs = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) continue;
                JsonNode row = JSON.readTree(line);
                pairs.add(new Pair(row.get("id").asText(), row.get("prediction").asText(), row.get("reference").asText()));
            }
            return pairs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = ReferenceFiles.class.getResourceAsStream("/rouge/" + name);
        if (in == null) throw new IllegalStateException("missing test resource rouge/" + name);
        return in;
    }
}
