package dev.resumo.train.data;

import dev.resumo.train.data.parquet.ParquetColumn;
import dev.resumo.train.data.parquet.ParquetFile;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Parquet files as rows, through the same columns and rejections as JSON lines: what Hugging Face
 * {@code datasets} writes ({@code push_to_hub}, {@code Dataset.to_parquet}) and pandas/pyarrow too.
 * A row's "line" in reports is its 1-based row number in the file. The text and summary columns
 * must exist (else the file is refused, naming its columns, as a CSV header without them is); a
 * null cell reads as "" — as a JSON null does — so the row is rejected as empty_text or
 * empty_summary; a cell that is not valid UTF-8 rejects its row as bad_encoding. The id column, when
 * there is one of a type read as text, gives the ids (a null id, or an id column that is a
 * list/struct, gives {@code <file>:<row>}: ids only name rows in reports); a split column gives the
 * split labels unless the file is one split's.
 */
final class ParquetRows {
    private ParquetRows() {}

    static void read(Path source, String file, Columns columns, String fixedSplit, Consumer<SourceRow> rows, Rejections rejections) {
        try (ParquetFile parquet = ParquetFile.open(source)) {
            for (String needed : new String[] {columns.text(), columns.summary()}) {
                if (!parquet.hasColumn(needed)) {
                    throw new DatasetException(source + ": no column '" + needed + "' among the file's columns " + parquet.columns()
                            + " (choose columns with --text-column / --summary-column)");
                }
                parquet.requireText(needed, needed.equals(columns.text()) ? "--text-column" : "--summary-column");
            }
            String idColumn = null;
            if (parquet.hasColumn(columns.id())) {
                try {
                    parquet.requireReadable(columns.id());
                    idColumn = columns.id();
                } catch (DatasetException notText) {
                    // ids name rows in reports only: a nested id column leaves them <file>:<row>
                }
            }
            String splitColumn = fixedSplit == null && parquet.hasColumn(columns.split()) ? columns.split() : null;
            if (splitColumn != null) parquet.requireReadable(splitColumn);
            Set<String> wanted = new LinkedHashSet<>();
            wanted.add(columns.text());
            wanted.add(columns.summary());
            if (idColumn != null) wanted.add(idColumn);
            if (splitColumn != null) wanted.add(splitColumn);

            long line = 0;
            for (int g = 0; g < parquet.rowGroupCount(); g++) {
                Map<String, ParquetColumn> cells = parquet.readRowGroup(g, wanted);
                ParquetColumn text = cells.get(columns.text()), summary = cells.get(columns.summary());
                ParquetColumn id = idColumn == null ? null : cells.get(idColumn);
                ParquetColumn split = splitColumn == null ? null : cells.get(splitColumn);
                for (int r = 0; r < text.rows(); r++) {
                    line++;
                    String rowId = id != null && id.get(r) != null ? id.get(r) : file + ":" + line;
                    String bad = badColumn(cells, r);
                    if (bad != null) {
                        rejections.add(file, line, RejectReason.BAD_ENCODING, rowId, "column '" + bad + "' is not valid UTF-8");
                        continue;
                    }
                    rows.accept(new SourceRow(file, line, rowId, orEmpty(text.get(r)), orEmpty(summary.get(r)),
                            fixedSplit != null ? fixedSplit : split == null ? null : split.get(r)));
                }
            }
        }
    }

    private static String badColumn(Map<String, ParquetColumn> cells, int row) {
        for (ParquetColumn c : cells.values()) if (c.badUtf8(row)) return c.name();
        return null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
