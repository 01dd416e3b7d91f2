package dev.resumo.train.data;

/**
 * Which fields of a JSON-lines, CSV/TSV or Parquet row hold the text, the summary, the id and the split
 * ({@code --text-column}, {@code --summary-column}, ...). A missing id column gives ids
 * {@code <file>:<line>}; a missing split column leaves the split to the {@link SplitPlan}.
 */
public record Columns(String text, String summary, String id, String split) {
    public static final Columns DEFAULT = new Columns("text", "summary", "id", "split");

    public Columns {
        for (String[] c : new String[][] {{"text", text}, {"summary", summary}, {"id", id}, {"split", split}}) {
            if (c[1] == null || c[1].isBlank()) throw new IllegalArgumentException("dataset: the " + c[0] + " column name must not be empty");
        }
        if (text.equals(summary)) throw new IllegalArgumentException("dataset: text and summary columns are the same ('" + text + "')");
    }

    /**
     * What is wrong with {@code --text-column} and {@code --summary-column} as given on a command line
     * (train, eval, baseline), in the flags' words, or null: checked before any model or data loads,
     * where the record's own check would only surface later, and without the flag names.
     */
    public static String flagProblem(String textColumn, String summaryColumn) {
        if (textColumn == null || textColumn.isBlank()) return "--text-column must not be empty";
        if (summaryColumn == null || summaryColumn.isBlank()) return "--summary-column must not be empty";
        if (textColumn.equals(summaryColumn)) {
            return "--text-column and --summary-column name the same column ('" + textColumn + "')";
        }
        return null;
    }

    public Columns withText(String t) { return new Columns(t, summary, id, split); }

    public Columns withSummary(String s) { return new Columns(text, s, id, split); }
}
