package dev.resumo.batch;

import java.io.Serializable;

/**
 * Travels with the pipeline to the workers and builds the summarizer there. {@link #key()} names
 * what it loads, so each JVM loads one model once however many DoFn instances the runner makes.
 */
public interface SummarizerLoader extends Serializable {
    String key();

    TextSummarizer load();
}
