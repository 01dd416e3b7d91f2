package dev.resumo.cli;

import dev.resumo.t5.BlankText;
import dev.resumo.train.data.DataFileException;
import dev.resumo.train.data.JsonLinesFile;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Text columns of a JSON-lines file (or a Parquet file: {@link ParquetInputRows}); blank lines are
 * skipped, anything else malformed is a UserError.
 * `summarize --input` and `score --input` read their rows here and not through the dataset loader that
 * train, eval and baseline share: they write one result per input row, in order and without ids, and
 * the loader drops duplicate and blank rows and groups rows by split, which would shift every line
 * after the first dropped row onto another row's result.
 */
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
        if (ParquetInputRows.isParquet(file)) return ParquetInputRows.read(file, nonBlankColumns, purpose, columns);
        List<String[]> rows = new ArrayList<>();
        // JsonLinesFile reads the lines as the dataset reader does: a bad byte is named with its line and
        // the fix (this said "not UTF-8 text" only), CR line ends and .jsonl.gz files are read.
        List<JsonLinesFile.Row> objects;
        try {
            objects = JsonLinesFile.read(file, "--input");
        } catch (DataFileException e) {
            throw new UserError(e.getMessage());
        }
        for (JsonLinesFile.Row row : objects) {
            int number = row.line();
            JsonNode node = row.value();
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
        return rows;
    }
}
