package dev.resumo.batch;

import java.io.Serializable;

/** One row to summarize: its id and text. */
public record InputRow(String id, String text) implements Serializable {}
