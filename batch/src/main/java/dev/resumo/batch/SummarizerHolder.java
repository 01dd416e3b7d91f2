package dev.resumo.batch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One summarizer per JVM and loader key. Runners create many DoFn instances (one per thread, and
 * again after failures); a model is hundreds of megabytes, so they share the one loaded here.
 */
final class SummarizerHolder {
    private static final ConcurrentMap<String, TextSummarizer> LOADED = new ConcurrentHashMap<>();

    private SummarizerHolder() {}

    static TextSummarizer get(SummarizerLoader loader) {
        return LOADED.computeIfAbsent(loader.key(), k -> loader.load());
    }

    /** A summarizer already built for this key (the launcher's checked one); an earlier one stays. */
    static void offer(String key, TextSummarizer summarizer) {
        LOADED.putIfAbsent(key, summarizer);
    }
}
