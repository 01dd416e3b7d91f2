package dev.resumo.train.data;

/**
 * A row as read from a file, before validation: where it came from (file and 1-based line of its
 * start), its fields, and its split label as written (null when the source has none).
 */
record SourceRow(String file, long line, String id, String text, String summary, String splitLabel) {}
