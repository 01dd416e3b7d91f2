package dev.resumo.cli;

import dev.resumo.t5.JsonLine;
import dev.resumo.t5.BlankText;
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

/** Text columns of a JSON-lines file; blank lines are skipped, anything else malformed is a UserError. */
final class JsonlRows {
    private JsonlRows() {}

    /** For each non-blank line, the string value of every requested column, in order. */
    static List<String[]> read(Path file, String... columns) {
        return read(file, 0, "", columns);
    }

    /**
     * As {@link #read(Path, String...)}, and a blank first column (the text) is an error naming the line
     * ("blank" as {@link BlankText} means it).
     */
    static List<String[]> readNonBlankText(Path file, String... columns) {
        return read(file, 1, "summarize", columns);
    }

    /** As {@link #read(Path, String...)}, and any blank column is an error naming the line and the field. */
    static List<String[]> readNonBlank(Path file, String purpose, String... columns) {
        return read(file, columns.length, purpose, columns);
    }

    /** The first {@code nonBlankColumns} columns must not be blank: there would be nothing to {@code purpose}. */
    private static List<String[]> read(Path file, int nonBlankColumns, String purpose, String... columns) {
        if (Files.isDirectory(file)) throw new UserError("--input " + file + " is a directory, not a file");
        if (!Files.isRegularFile(file)) throw new UserError("--input " + file + ": no such file");
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                // A UTF-8 byte-order mark starts some files written on Windows: not part of the JSON.
                if (number == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                JsonNode node;
                try {
                    node = JsonLine.parse(line);
                } catch (JsonProcessingException e) {
                    throw new UserError(file + ":" + number + ": not valid JSON (" + dev.resumo.t5.JsonErrors.reason(e) + ")");
                }
                if (node == null || !node.isObject()) throw new UserError(file + ":" + number + ": expected a JSON object");
                String[] values = new String[columns.length];
                for (int c = 0; c < columns.length; c++) {
                    JsonNode v = node.get(columns[c]);
                    if (v != null && v.isNull()) {
                        throw new UserError(file + ":" + number + ": \"" + columns[c] + "\" is null, not a string");
                    }
                    if (v == null) {
                        throw new UserError(file + ":" + number + ": no \"" + columns[c] + "\" field (choose the column with --"
                                + (c == 0 ? "text" : "summary") + "-column)");
                    }
                    if (!v.isTextual()) throw new UserError(file + ":" + number + ": \"" + columns[c] + "\" is not a string");
                    values[c] = v.textValue();
                    if (c < nonBlankColumns && BlankText.isBlank(values[c])) {
                        throw new UserError(file + ":" + number + ": \"" + columns[c] + "\" is blank; there is nothing to " + purpose);
                    }
                }
                rows.add(values);
            }
        } catch (CharacterCodingException e) {
            throw new UserError(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (rows.isEmpty()) throw new UserError(file + ": no rows");
        return rows;
    }
}
