package dev.resumo.serve;

import java.util.List;

/**
 * How the server runs; validated on construction with errors that name the flag.
 *
 * @param tokens API tokens; empty = no authentication
 * @param maxBodyBytes largest request body (413 past it)
 * @param maxQueue most texts waiting for a batch (429 past it)
 * @param maxBatch most texts generated together
 * @param maxWaitMs how long the first request of a batch waits for company
 * @param timeoutMs a request still unanswered after this is answered 504 and its work cancelled
 * @param truncate true: inputs past the model's limit are cut (answer says "truncated"); false: 422
 * @param maxNewTokensLimit the largest max_new_tokens a request may ask for
 * @param maxBeamsLimit the largest num_beams a request may ask for
 * @param maxTexts most texts in one request
 * @param shutdownGraceMs how long in-flight requests may take to finish at shutdown
 * @param maxConnections most connections served at once; past it a new connection gets 503 with Retry-After
 * @param idleTimeoutMs a kept-alive connection without a new request for this long is closed
 */
public record ServeConfig(String host, int port, List<String> tokens, long maxBodyBytes, int maxQueue, int maxBatch,
                          long maxWaitMs, long timeoutMs, boolean truncate, int maxNewTokensLimit, int maxBeamsLimit,
                          int maxTexts, long shutdownGraceMs, int maxConnections, long idleTimeoutMs) {
    /** Every setting but the connection ones, which take their defaults. */
    public ServeConfig(String host, int port, List<String> tokens, long maxBodyBytes, int maxQueue, int maxBatch,
                       long maxWaitMs, long timeoutMs, boolean truncate, int maxNewTokensLimit, int maxBeamsLimit,
                       int maxTexts, long shutdownGraceMs) {
        this(host, port, tokens, maxBodyBytes, maxQueue, maxBatch, maxWaitMs, timeoutMs, truncate, maxNewTokensLimit,
                maxBeamsLimit, maxTexts, shutdownGraceMs, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT_MS);
    }

    /**
     * The most texts one request may carry: --max-texts, or --max-queue when that is lower. A
     * request larger than the whole queue could never be queued, and answering it 429 "retry
     * later" sent well-behaved clients into a retry loop that never ends; it gets a 400 naming
     * the limit instead.
     */
    public int textsPerRequest() {
        return Math.min(maxTexts, maxQueue);
    }

    public ServeConfig {
        tokens = List.copyOf(tokens);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port: must be in [0, 65535], got " + port);
        if (maxBodyBytes < 1) throw new IllegalArgumentException("--max-body-bytes: must be ≥ 1, got " + maxBodyBytes);
        if (maxQueue < 1) throw new IllegalArgumentException("--max-queue: must be ≥ 1, got " + maxQueue);
        if (maxBatch < 1) throw new IllegalArgumentException("--max-batch: must be ≥ 1, got " + maxBatch);
        if (maxWaitMs < 0 || maxWaitMs > MAX_WAIT_MS) {
            throw new IllegalArgumentException("--max-wait-ms: must be in [0, " + MAX_WAIT_MS + "], got " + maxWaitMs);
        }
        if (timeoutMs < 1) throw new IllegalArgumentException("--timeout: must be ≥ 1 ms, got " + timeoutMs);
        // A lone request waits max-wait-ms for company before its generation starts: a wait as long
        // as the timeout would answer every such request 504 without ever generating.
        if (maxWaitMs >= timeoutMs) {
            throw new IllegalArgumentException("--max-wait-ms (" + maxWaitMs + " ms) must be below --timeout (" + timeoutMs
                    + " ms): a request waiting that long for a batch would always time out");
        }
        if (maxNewTokensLimit < 1 || maxNewTokensLimit > dev.resumo.t5.generate.GenerationConfig.MAX_NEW_TOKENS_LIMIT) {
            throw new IllegalArgumentException("--max-new-tokens-limit: must be in [1, "
                    + dev.resumo.t5.generate.GenerationConfig.MAX_NEW_TOKENS_LIMIT + "], got " + maxNewTokensLimit);
        }
        if (maxBeamsLimit < 1 || maxBeamsLimit > dev.resumo.t5.generate.GenerationConfig.MAX_NUM_BEAMS) {
            throw new IllegalArgumentException("--max-beams-limit: must be in [1, "
                    + dev.resumo.t5.generate.GenerationConfig.MAX_NUM_BEAMS + "], got " + maxBeamsLimit);
        }
        if (maxTexts < 1) throw new IllegalArgumentException("--max-texts: must be ≥ 1, got " + maxTexts);
        if (shutdownGraceMs < 0) throw new IllegalArgumentException("--shutdown-grace: must be ≥ 0 ms, got " + shutdownGraceMs);
        if (maxConnections < 1) throw new IllegalArgumentException("--max-connections: must be ≥ 1, got " + maxConnections);
        if (idleTimeoutMs < 1 || idleTimeoutMs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--idle-timeout: must be > 0 and at most " + Integer.MAX_VALUE / 1000 + " s, got "
                    + idleTimeoutMs + " ms");
        }
        for (String t : tokens) {
            if (t.isBlank()) throw new IllegalArgumentException("API tokens must not be blank");
        }
    }

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_QUEUE = 256;
    public static final int DEFAULT_MAX_BATCH = 16;
    public static final long DEFAULT_MAX_WAIT_MS = 10;
    /** Longest batching wait: past 10 s the wait, not the model, sets every lone request's latency. */
    public static final long MAX_WAIT_MS = 10_000;
    public static final long DEFAULT_TIMEOUT_MS = 120_000;
    public static final int DEFAULT_MAX_NEW_TOKENS_LIMIT = 512;
    public static final int DEFAULT_MAX_BEAMS_LIMIT = 8;
    public static final int DEFAULT_MAX_TEXTS = 64;
    public static final long DEFAULT_SHUTDOWN_GRACE_MS = 30_000;
    /**
     * Connections served at once. Each holds a descriptor, a virtual thread and 16 KB of buffers;
     * 512 covers a full default queue (256 texts, each request on its own connection) plus as many
     * idle kept-alive ones (browsers, a proxy's pool), and stays well under the 1024 descriptors a
     * Linux process gets by default even when the JVM cannot raise that, with room left for the
     * refusals being answered ({@link ConnectionLimit#ANSWERING_REFUSALS}) and the JVM's own files.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = HttpServerCore.DEFAULT_IDLE_TIMEOUT.toMillis();

    /** Every default, on the given port, without tokens. */
    public static ServeConfig defaults(int port) {
        return new ServeConfig(DEFAULT_HOST, port, List.of(), DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_QUEUE, DEFAULT_MAX_BATCH,
                DEFAULT_MAX_WAIT_MS, DEFAULT_TIMEOUT_MS, true, DEFAULT_MAX_NEW_TOKENS_LIMIT, DEFAULT_MAX_BEAMS_LIMIT,
                DEFAULT_MAX_TEXTS, DEFAULT_SHUTDOWN_GRACE_MS);
    }

    public ServeConfig withTokens(List<String> t) {
        return new ServeConfig(host, port, t, maxBodyBytes, maxQueue, maxBatch, maxWaitMs, timeoutMs, truncate,
                maxNewTokensLimit, maxBeamsLimit, maxTexts, shutdownGraceMs, maxConnections, idleTimeoutMs);
    }

    public ServeConfig withLimits(long bodyBytes, int queue, long timeout, boolean cut) {
        return new ServeConfig(host, port, tokens, bodyBytes, queue, maxBatch, maxWaitMs, timeout, cut,
                maxNewTokensLimit, maxBeamsLimit, maxTexts, shutdownGraceMs, maxConnections, idleTimeoutMs);
    }

    public ServeConfig withBatching(int batch, long waitMs) {
        return new ServeConfig(host, port, tokens, maxBodyBytes, maxQueue, batch, waitMs, timeoutMs, truncate,
                maxNewTokensLimit, maxBeamsLimit, maxTexts, shutdownGraceMs, maxConnections, idleTimeoutMs);
    }

    public ServeConfig withConnections(int max, long idleMs) {
        return new ServeConfig(host, port, tokens, maxBodyBytes, maxQueue, maxBatch, maxWaitMs, timeoutMs, truncate,
                maxNewTokensLimit, maxBeamsLimit, maxTexts, shutdownGraceMs, max, idleMs);
    }
}
