package dev.resumo.train.data;

import dev.resumo.t5.JsonLine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * JSON lines: one object per line, UTF-8. Blank lines are skipped (they hold no row). Lines with
 * invalid UTF-8, bad JSON (text after the object included), non-objects, a missing text/summary
 * field or one that is an array or object are rejected with their file and line.
 */
final class JsonLinesReader {
    private JsonLinesReader() {}

    /**
     * @param fixedSplit split label for every row (XL-Sum file names, separate split files), or null
     *                   to read it from the split column when present
     */
    static void read(InputStream in, String file, Columns columns, String fixedSplit,
                     Consumer<SourceRow> rows, Rejections rejections) throws IOException {
        Lines lines = new Lines(in, StandardCharsets.UTF_8);
        while (lines.next()) {
            String line = lines.text();
            long n = lines.number();
            if (line.isBlank()) continue;
            if (lines.badEncoding()) {
                rejections.add(file, n, RejectReason.BAD_ENCODING, null, lines.encodingProblem());
                continue;
            }
            JsonNode node;
            try {
                node = JsonLine.parse(line);
            } catch (JsonProcessingException e) {
                rejections.add(file, n, RejectReason.MALFORMED, null, "bad JSON: " + e.getOriginalMessage());
                continue;
            }
            if (node == null || !node.isObject()) {
                rejections.add(file, n, RejectReason.MALFORMED, null, "not a JSON object");
                continue;
            }
            String id = field(node, columns.id());
            if (id == null) id = file + ":" + n;
            String notText = container(node, columns.text(), columns.summary());
            if (notText != null) {
                rejections.add(file, n, RejectReason.MALFORMED, id, notText);
                continue;
            }
            String text = field(node, columns.text()), summary = field(node, columns.summary());
            if (text == null || summary == null) {
                String missing = text == null ? columns.text() : columns.summary();
                rejections.add(file, n, RejectReason.MISSING_COLUMN, id, "no field '" + missing + "'" + fieldsOf(node));
                continue;
            }
            String split = fixedSplit != null ? fixedSplit : field(node, columns.split());
            rows.accept(new SourceRow(file, n, id, text, summary, split));
        }
    }

    /**
     * The row's field names, for a missing-column rejection: "no field 'text'" alone sent the user to
     * the file to find that the rows say "Text" or "article" (names are matched exactly, as pandas does).
     */
    private static String fieldsOf(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        if (names.isEmpty()) return " (the object has no fields)";
        int shown = Math.min(names.size(), 10);
        return " (its fields: " + String.join(", ", names.subList(0, shown)) + (names.size() > shown ? ", ..." : "") + ")";
    }

    /**
     * Which of the named fields holds an array or object, said for the rejection; null if none does.
     * Written out as JSON text it would train on brackets and quotes ("[\"s1\", \"s2\"]") as if they were
     * prose: a list of sentences or of reference summaries needs joining or choosing by the user.
     */
    private static String container(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v != null && v.isContainerNode()) {
                return "field '" + name + "' is " + (v.isArray() ? "an array" : "an object") + ", not a string (join or pick its parts into one string)";
            }
        }
        return null;
    }

    /** A field as text: strings as they are, numbers/booleans as written, JSON null as "", absent as null. */
    private static String field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null) return null;
        if (v.isNull()) return "";
        if (v.isValueNode()) return v.asText();
        return v.toString();
    }
}
