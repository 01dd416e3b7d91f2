package dev.resumo.train.data;

import dev.resumo.t5.JsonLine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        // Lines and DataStreams, as the dataset reader: a bad line is named with its byte and the fix
        // ("not UTF-8 text" named neither line nor cause), and a .jsonl.gz file is read like the others.
        try (InputStream in = DataStreams.open(file)) {
            Lines lines = new Lines(in, StandardCharsets.UTF_8);
            while (lines.next()) {
                int number = Math.toIntExact(lines.number());
                if (lines.badEncoding()) throw new DataFileException(file + ":" + number + ": " + lines.encodingProblem());
                if (lines.text().isBlank()) continue;
                rows.add(new Row(file, number, parse(file, number, lines.text())));
            }
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
            throw new DataFileException(file + ":" + number + ": not valid JSON (" + e.getOriginalMessage() + ")" + tableHint(file));
        }
        if (!node.isObject()) throw new DataFileException(file + ":" + number + ": expected a JSON object" + tableHint(file));
        return node;
    }

    /**
     * For a file named as a table: "b.csv:1: not valid JSON (Unrecognized token 'text' ...)" did not
     * say that the command takes no CSV; this says so and how pandas writes JSON lines.
     */
    private static String tableHint(Path file) {
        String name = DataStreams.withoutGz(file.getFileName().toString()).toLowerCase(Locale.ROOT);
        if (!name.endsWith(".csv") && !name.endsWith(".tsv") && !name.endsWith(".tab")) return "";
        return "; the file is named as CSV/TSV, and this reads JSON lines, one object per line (pandas: "
                + "df.to_json(path, orient=\"records\", lines=True, force_ascii=False))";
    }
}
