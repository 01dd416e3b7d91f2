package dev.resumo.train.data;

import java.nio.file.Path;

/**
 * How to load a dataset.
 *
 * @param format  the layout, or null to detect it from the path
 * @param columns text/summary/id/split column names (JSONL, CSV, TSV, Parquet)
 * @param ratio   split used when rows carry no split label
 * @param strict  any rejected row is an error instead of a counted omission
 * @param runDir  where {@code rejected.jsonl} is written, or null for none
 */
public record DatasetOptions(DatasetFormat format, Columns columns, SplitPlan ratio, boolean strict, Path runDir) {
    public static final DatasetOptions DEFAULT = new DatasetOptions(null, Columns.DEFAULT, SplitPlan.DEFAULT, false, null);

    public DatasetOptions {
        if (columns == null || ratio == null) throw new IllegalArgumentException("dataset options: columns and ratio are required");
    }

    public DatasetOptions withFormat(DatasetFormat f) { return new DatasetOptions(f, columns, ratio, strict, runDir); }

    public DatasetOptions withColumns(Columns c) { return new DatasetOptions(format, c, ratio, strict, runDir); }

    public DatasetOptions withRatio(SplitPlan r) { return new DatasetOptions(format, columns, r, strict, runDir); }

    public DatasetOptions withStrict(boolean s) { return new DatasetOptions(format, columns, ratio, s, runDir); }

    public DatasetOptions withRunDir(Path d) { return new DatasetOptions(format, columns, ratio, strict, d); }
}
