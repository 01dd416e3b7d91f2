package dev.resumo.batch;

import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.parquet.ParquetFile;
import java.util.Locale;

/**
 * Which {@code --input} is read as Parquet, and the columns every Parquet input file must have.
 * The rule is the pattern's own ending, {@code .parquet} in any case ({@code x.parquet},
 * {@code 'corpus/*.parquet'}, {@code gs://bucket/train-*.parquet}): it is known before anything is
 * listed, so the pipeline's shape never depends on what a remote listing returns.
 */
public final class ParquetInput {
    private ParquetInput() {}

    public static boolean isParquet(String pattern) {
        return pattern.toLowerCase(Locale.ROOT).endsWith(".parquet");
    }

    /**
     * Refuses {@code file} (named {@code name}) unless it has both columns, flat and readable as
     * text, the text column of strings: a {@link DatasetException} naming the file, its columns and
     * the flag that picks the column.
     */
    public static void requireColumns(ParquetFile file, String name, String idColumn, String textColumn) {
        require(file, name, textColumn, "text", "--text-column");
        require(file, name, idColumn, "id", "--id-column");
        file.requireText(textColumn, "--text-column"); // ids may be numbers; texts are strings, as in JSON lines
    }

    private static void require(ParquetFile file, String name, String column, String role, String flag) {
        if (!file.hasColumn(column)) {
            throw new DatasetException(name + ": no column '" + column + "' (its columns: " + String.join(", ", file.columns())
                    + "; choose the " + role + " column with " + flag + ")");
        }
        file.requireReadable(column); // a list or struct, a date, an encrypted column: said with the file's name
    }
}
