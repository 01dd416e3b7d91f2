package dev.resumo.train.data;

/** Why a row was left out of the dataset; the label is what rejected.jsonl and reports show. */
public enum RejectReason {
    EMPTY_TEXT("empty_text"),
    EMPTY_SUMMARY("empty_summary"),
    /** Bytes that are not valid in the file's encoding (UTF-8, or cp1252 for TeMário). */
    BAD_ENCODING("bad_encoding"),
    /** Unparseable row: bad JSON, not an object, wrong CSV field count, unterminated quote. */
    MALFORMED("malformed"),
    /** The row lacks the text or summary column. */
    MISSING_COLUMN("missing_column"),
    /** A split value that is not train/validation/test (or a synonym). */
    UNKNOWN_SPLIT("unknown_split"),
    /** A TeMário text without summary file, or a summary without text. */
    UNPAIRED("unpaired"),
    /** Same normalized text as an earlier row of the same split (the first is kept). */
    DUPLICATE("duplicate"),
    /** Same normalized text as a row of a later split (validation or test): dropped here to stop leakage. */
    LEAKED("leaked");

    private final String label;

    RejectReason(String label) { this.label = label; }

    public String label() { return label; }
}
