package dev.resumo.cli;

import dev.resumo.t5.BlankText;
import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.parquet.ParquetColumn;
import dev.resumo.train.data.parquet.ParquetFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link JsonlRows} for a Parquet {@code --input} (what pandas, pyarrow and Hugging Face
 * {@code datasets} write): the same columns, in row order, with the same errors — a row is named
 * {@code file:N}, N counted from 1 over the whole file, as a JSON-lines row is by its line.
 */
final class ParquetInputRows {
    private ParquetInputRows() {}

    static boolean isParquet(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
    }

    /** The first {@code nonBlankColumns} columns must not be blank: there would be nothing to {@code purpose}. */
    static List<String[]> read(Path file, int nonBlankColumns, String purpose, String... columns) {
        List<String[]> rows = new ArrayList<>();
        try (ParquetFile parquet = ParquetFile.open(file)) {
            for (int c = 0; c < columns.length; c++) {
                if (!parquet.hasColumn(columns[c])) {
                    throw new UserError(file + ": no column '" + columns[c] + "' (its columns: " + String.join(", ", parquet.columns())
                            + "; choose the column with --" + (c == 0 ? "text" : "summary") + "-column)");
                }
                // As JSON lines refuses a number where a string belongs: the wrong column, most likely.
                parquet.requireText(columns[c], "--" + (c == 0 ? "text" : "summary") + "-column");
            }
            long number = 0;
            for (int g = 0; g < parquet.rowGroupCount(); g++) {
                Map<String, ParquetColumn> group = parquet.readRowGroup(g, List.of(columns));
                int count = group.get(columns[0]).rows();
                for (int r = 0; r < count; r++) {
                    number++;
                    String[] values = new String[columns.length];
                    for (int c = 0; c < columns.length; c++) {
                        ParquetColumn column = group.get(columns[c]);
                        values[c] = column.get(r);
                        if (values[c] == null) throw new UserError(file + ":" + number + ": \"" + columns[c] + "\" is null, not a string");
                        if (column.badUtf8(r)) throw new UserError(file + ":" + number + ": \"" + columns[c] + "\" is not valid UTF-8");
                        if (c < nonBlankColumns && BlankText.isBlank(values[c])) {
                            throw new UserError(file + ":" + number + ": \"" + columns[c] + "\" is blank; there is nothing to " + purpose);
                        }
                    }
                    rows.add(values);
                }
            }
        } catch (DatasetException e) {
            throw new UserError(e.getMessage());
        }
        return rows;
    }
}
