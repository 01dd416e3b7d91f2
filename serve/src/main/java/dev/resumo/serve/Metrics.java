package dev.resumo.serve;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The server's counters, exposed at /metrics in the Prometheus text format (version 0.0.4). */
public final class Metrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Histogram latency = new Histogram("resumo_request_duration_seconds",
            "Time from reading a /v1/summarize request to answering it.",
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
    private final Histogram batchSizes = new Histogram("resumo_batch_size",
            "Texts generated together in one batched generation.", 1, 2, 4, 8, 16, 32, 64, 128);
    private final LongAdder tokens = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private volatile IntSupplier queueDepth = () -> 0;
    private volatile IntSupplier inFlight = () -> 0;
    private volatile ConnectionLimit connections;

    void countRequest(String path, int status) {
        requests.computeIfAbsent(path + "\u0000" + status, k -> new LongAdder()).increment();
    }

    void observeLatency(double seconds) {
        latency.observe(seconds);
    }

    void observeBatch(int texts) {
        batchSizes.observe(texts);
        batches.increment();
    }

    /**
     * Tokens of summaries a 200 answer carried (its tokens_generated). Counted at the answer, not
     * at the batch: a batch also generates for requests that left it (client gone, --timeout) and
     * whose summaries nobody receives, and the counter must agree with what clients were sent.
     */
    void countAnsweredTokens(long answeredTokens) {
        tokens.add(answeredTokens);
    }

    void gauges(IntSupplier queue, IntSupplier active) {
        this.queueDepth = queue;
        this.inFlight = active;
    }

    void connections(ConnectionLimit limit) {
        this.connections = limit;
    }

    public long tokensGenerated() {
        return tokens.sum();
    }

    public long batches() {
        return batches.sum();
    }

    public long summarizeRequests() {
        return latency.count();
    }

    String prometheusText() {
        StringBuilder out = new StringBuilder(2048);
        out.append("# HELP resumo_http_requests_total HTTP requests answered, by path and status.\n");
        out.append("# TYPE resumo_http_requests_total counter\n");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(requests).entrySet()) {
            String[] key = e.getKey().split("\u0000");
            out.append("resumo_http_requests_total{path=\"").append(key[0]).append("\",status=\"").append(key[1])
                    .append("\"} ").append(e.getValue().sum()).append('\n');
        }
        latency.writeTo(out);
        batchSizes.writeTo(out);
        out.append("# HELP resumo_queue_depth Texts waiting for a batch.\n# TYPE resumo_queue_depth gauge\n");
        out.append("resumo_queue_depth ").append(queueDepth.getAsInt()).append('\n');
        out.append("# HELP resumo_in_flight_requests /v1 requests being handled.\n# TYPE resumo_in_flight_requests gauge\n");
        out.append("resumo_in_flight_requests ").append(inFlight.getAsInt()).append('\n');
        out.append("# HELP resumo_tokens_generated_total Summary tokens sent in 200 answers (the sum of their tokens_generated).\n# TYPE resumo_tokens_generated_total counter\n");
        out.append("resumo_tokens_generated_total ").append(tokens.sum()).append('\n');
        ConnectionLimit c = connections;
        if (c != null) {
            out.append("# HELP resumo_open_connections Connections being served (kept-alive idle ones included).\n# TYPE resumo_open_connections gauge\n");
            out.append("resumo_open_connections ").append(c.open()).append('\n');
            out.append("# HELP resumo_max_connections Connections served at once at most (--max-connections).\n# TYPE resumo_max_connections gauge\n");
            out.append("resumo_max_connections ").append(c.max()).append('\n');
            out.append("# HELP resumo_connections_refused_total Connections refused past --max-connections: answered 503 (also counted in "
                    + "resumo_http_requests_total, under the request's path when its head arrived, else other), or closed unanswered when "
                    + "too many refusals were being answered.\n"
                    + "# TYPE resumo_connections_refused_total counter\n");
            out.append("resumo_connections_refused_total{answer=\"503\"} ").append(c.refusedAnswered()).append('\n');
            out.append("resumo_connections_refused_total{answer=\"closed\"} ").append(c.refusedClosed()).append('\n');
            out.append("# HELP resumo_monitoring_past_limit_total Connections past --max-connections answered their GET or HEAD of "
                    + "/health, /ready or /metrics instead of a 503 (also counted in resumo_http_requests_total).\n"
                    + "# TYPE resumo_monitoring_past_limit_total counter\n");
            out.append("resumo_monitoring_past_limit_total ").append(c.monitoringPastLimit()).append('\n');
        }
        return out.toString();
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
