package dev.resumo.train.data.parquet;

import java.util.BitSet;

/** One column of one row group as text: a value or null per row, and which values were not valid UTF-8. */
public final class ParquetColumn {
    private final String name;
    private final String[] values;
    private final BitSet badUtf8;
    private final int rows;
    private final boolean strings;

    ParquetColumn(String name, Cells cells, boolean strings) {
        this.name = name;
        this.strings = strings;
        this.values = cells.text;
        this.badUtf8 = cells.badUtf8;
        this.rows = cells.size;
    }

    public String name() {
        return name;
    }

    /**
     * Whether the column holds strings; false when its values are numbers or booleans written as
     * text ("7", "1.5", "true"): a caller that writes them back as JSON keeps the type.
     */
    public boolean holdsStrings() {
        return strings;
    }

    public int rows() {
        return rows;
    }

    /** The row's value as text, or null where the cell is null. */
    public String get(int row) {
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        return values[row];
    }

    /** Whether the row's bytes were not valid UTF-8 (its value then holds U+FFFD where they were). */
    public boolean badUtf8(int row) {
        return badUtf8.get(row);
    }
}
