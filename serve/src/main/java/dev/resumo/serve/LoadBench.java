package dev.resumo.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loopback load test: N clients post summaries for a bounded time and count, against a server
 * with batching off (one text per generation) and on (up to N texts per generation). Reports
 * throughput, p50/p99 latency, 5xx count and the heap after each round (to see it not grow).
 */
public final class LoadBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Most concurrent clients. Each holds one loopback connection: two file descriptors in this
     * process (the client's socket and the server's accepted one) plus the HTTP client's selector.
     * The usual soft `ulimit -n` is 1024 and a raised one often 65536; 4096 clients ≈ 8192
     * descriptors fits a raised limit with room for the model files and the JDK, and is far more
     * concurrency than one model can batch. 100000 clients ran out of descriptors mid-start-up.
     */
    public static final int MAX_CLIENTS = 4096;

    /** One round's figures. */
    public record Round(String mode, int round, int clients, double seconds, long ok, long errors5xx, long otherErrors,
                        double throughput, double p50Ms, double p99Ms, double meanBatch, long heapMb) {}

    /** What to run. */
    public record Plan(int clients, Duration duration, int maxRequests, int rounds, int maxNewTokens, long maxWaitMs) {
        public Plan {
            if (clients < 1 || clients > MAX_CLIENTS) {
                throw new IllegalArgumentException("--clients: must be in [1, " + MAX_CLIENTS
                        + "] (each client holds two file descriptors of this process), got " + clients);
            }
            if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("--seconds: must be > 0");
            if (maxRequests < 1) throw new IllegalArgumentException("--max-requests: must be ≥ 1, got " + maxRequests);
            if (rounds < 1) throw new IllegalArgumentException("--rounds: must be ≥ 1, got " + rounds);
            // The loopback server runs with the default --max-new-tokens-limit: a larger ask would be 422 on every request.
            if (maxNewTokens < 1 || maxNewTokens > ServeConfig.DEFAULT_MAX_NEW_TOKENS_LIMIT) {
                throw new IllegalArgumentException("--max-new-tokens: must be in [1, " + ServeConfig.DEFAULT_MAX_NEW_TOKENS_LIMIT
                        + "] (the loopback server's --max-new-tokens-limit), got " + maxNewTokens);
            }
            if (maxWaitMs < 0 || maxWaitMs > ServeConfig.MAX_WAIT_MS) {
                throw new IllegalArgumentException("--max-wait-ms: must be in [0, " + ServeConfig.MAX_WAIT_MS + "], got " + maxWaitMs);
            }
        }
    }

    private LoadBench() {}

    /** Runs the plan with batching off, then on, each {@code rounds} times on a fresh loopback server. */
    public static List<Round> compare(SummaryEngine engine, Plan plan, List<String> texts) throws IOException, InterruptedException {
        List<Round> out = new ArrayList<>();
        for (boolean batching : new boolean[] {false, true}) {
            ServeConfig config = ServeConfig.defaults(0)
                    .withBatching(batching ? plan.clients() : 1, batching ? plan.maxWaitMs() : 0)
                    .withLimits(ServeConfig.DEFAULT_MAX_BODY_BYTES, Math.max(ServeConfig.DEFAULT_MAX_QUEUE, plan.clients() * 4),
                            600_000, true);
            for (int r = 1; r <= plan.rounds(); r++) {
                try (ResumoServer server = ResumoServer.start(config, engine)) {
                    out.add(round(server, batching ? "batching on" : "batching off", r, plan, texts));
                }
            }
        }
        return out;
    }

    static Round round(ResumoServer server, String mode, int round, Plan plan, List<String> texts) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = server.uri().resolve("/v1/summarize");
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong started = new AtomicLong();
        AtomicLong errors5xx = new AtomicLong();
        AtomicLong otherErrors = new AtomicLong();
        long batchesBefore = server.metrics().batches();
        long t0 = System.nanoTime();
        long deadline = t0 + plan.duration().toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < plan.clients(); c++) {
                int clientId = c;
                pool.submit(() -> {
                    int i = clientId;
                    while (System.nanoTime() < deadline && started.incrementAndGet() <= plan.maxRequests()) {
                        String body = JSON.createObjectNode().put("text", texts.get(i++ % texts.size()))
                                .put("max_new_tokens", plan.maxNewTokens()).toString();
                        long s = System.nanoTime();
                        try {
                            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() == 200) latencies.add(System.nanoTime() - s);
                            else if (r.statusCode() >= 500) errors5xx.incrementAndGet();
                            else otherErrors.incrementAndGet();
                        } catch (IOException e) {
                            otherErrors.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        client.close();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long batches = server.metrics().batches() - batchesBefore;
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        return new Round(mode, round, plan.clients(), seconds, sorted.length, errors5xx.get(), otherErrors.get(),
                sorted.length / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
                batches == 0 ? 0 : sorted.length / (double) batches, heapMb);
    }

    static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) return Double.NaN;
        int i = (int) Math.ceil(q * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }

    /** The throughput of the best round of a mode (later rounds are warm). */
    public static double bestThroughput(List<Round> rounds, String mode) {
        return rounds.stream().filter(r -> r.mode().equals(mode)).mapToDouble(Round::throughput).max().orElse(0);
    }

    public static String table(List<Round> rounds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-13s %5s %7s %7s %6s %5s %5s %9s %9s %9s %10s %8s%n", "mode", "round", "clients",
                "seconds", "ok", "5xx", "other", "req/s", "p50 ms", "p99 ms", "mean batch", "heap MB"));
        for (Round r : rounds) {
            sb.append(String.format(Locale.ROOT, "%-13s %5d %7d %7.1f %6d %5d %5d %9.2f %9.1f %9.1f %10.2f %8d%n", r.mode(), r.round(),
                    r.clients(), r.seconds(), r.ok(), r.errors5xx(), r.otherErrors(), r.throughput(), r.p50Ms(), r.p99Ms(),
                    r.meanBatch(), r.heapMb()));
        }
        double off = bestThroughput(rounds, "batching off");
        double on = bestThroughput(rounds, "batching on");
        sb.append(String.format(Locale.ROOT, "speed-up (best round on / best round off): %.2fx%n", off == 0 ? Double.NaN : on / off));
        return sb.toString();
    }

}
