package dev.resumo.train.data.parquet;

import java.util.BitSet;

/**
 * Decoded values of one column as text, in order: null for a null cell, and which values were not
 * valid UTF-8 (kept decoded with replacement characters, so the loader can reject those rows as
 * {@code bad_encoding} as it does bad lines of JSONL/CSV, instead of training on U+FFFD).
 */
final class Cells {
    String[] text;
    final BitSet badUtf8 = new BitSet();
    int size;
    private final int capacity;

    /**
     * Room for up to {@code capacity} values (a count from the file's metadata), grown as values come:
     * a corrupt count of a billion rows fails when the data runs out, not by allocating for it first.
     */
    Cells(int capacity) {
        this.capacity = capacity;
        text = new String[Math.min(capacity, 4096)];
    }

    void add(String value, boolean bad) {
        if (size == text.length) {
            if (size >= capacity) throw new ParquetFormatException("corrupt column: more values than its metadata counts (" + capacity + ")");
            text = java.util.Arrays.copyOf(text, (int) Math.min(capacity, 2L * text.length + 16));
        }
        if (bad) badUtf8.set(size);
        text[size++] = value;
    }

    void addNull() {
        add(null, false);
    }
}
