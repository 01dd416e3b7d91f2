package dev.resumo.batch;

import java.io.Serializable;

/**
 * One row to summarize: its id as the input wrote it in JSON ({@code "a7"} with its quotes, or
 * {@code 7}), so the output line carries the same value and type a join on the input expects — a
 * numeric id written back as a string did not join — and its text.
 */
public record InputRow(String idJson, String text) implements Serializable {}
