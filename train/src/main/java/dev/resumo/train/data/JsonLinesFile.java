package dev.resumo.train.data;

import dev.resumo.t5.JsonLine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JSON-lines file read whole: one JSON object per non-blank line, each kept with its line number. */
public final class JsonLinesFile {
    /** One object of the file and where it came from (1-based line). */
    public record Row(Path file, int line, JsonNode value) {
        /** "file:line", for messages. */
        public String where() {
            return file + ":" + line;
        }

        /** The string value of field, or a {@link DataFileException} naming file, line and field. */
        public String text(String field) {
            JsonNode v = value.get(field);
            if (v == null) throw new DataFileException(where() + ": no \"" + field + "\" field");
            // Present but null is not a missing field: saying "no field" sends the user looking for a typo.
            if (v.isNull()) throw new DataFileException(where() + ": \"" + field + "\" is null, not a string");
            if (!v.isTextual()) throw new DataFileException(where() + ": \"" + field + "\" is not a string");
            return v.asText();
        }

        public boolean has(String field) {
            JsonNode v = value.get(field);
            return v != null && !v.isNull();
        }
    }

    private JsonLinesFile() {}

    /** @param role what the file is for ("predictions", "dataset"), used in messages */
    public static List<Row> read(Path file, String role) {
        if (!Files.exists(file)) throw new DataFileException(role + " file " + file + " does not exist");
        if (!Files.isRegularFile(file)) throw new DataFileException(role + " file " + file + " is not a regular file");
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                // A UTF-8 byte-order mark starts some files written on Windows: not part of the JSON.
                if (number == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                rows.add(new Row(file, number, parse(file, number, line)));
            }
        } catch (CharacterCodingException e) {
            throw new DataFileException(role + " file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new DataFileException("cannot read " + role + " file " + file + ": " + e.getMessage());
        }
        if (rows.isEmpty()) throw new DataFileException(role + " file " + file + " has no rows");
        return rows;
    }

    private static JsonNode parse(Path file, int number, String line) {
        JsonNode node;
        try {
            node = JsonLine.parse(line);
        } catch (JsonProcessingException e) {
            throw new DataFileException(file + ":" + number + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!node.isObject()) throw new DataFileException(file + ":" + number + ": expected a JSON object");
        return node;
    }
}
