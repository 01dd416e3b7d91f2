package dev.resumo.train.data;

import java.util.Locale;

/** The three dataset partitions. Order matters: a text found in several keeps only its copy in the last one. */
public enum Split {
    TRAIN("train"), VALIDATION("validation"), TEST("test");

    private final String label;

    Split(String label) { this.label = label; }

    public String label() { return label; }

    /** Parses a split label, accepting the usual synonyms (val, valid, dev); null if unknown. */
    public static Split parse(String s) {
        if (s == null) return null;
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "train", "training" -> TRAIN;
            case "validation", "valid", "val", "dev" -> VALIDATION;
            case "test", "testing" -> TEST;
            default -> null;
        };
    }
}
