package dev.resumo.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Resumo HTTP service: POST /v1/summarize, GET /health, /ready, /metrics, /openapi.json and
 * the web page at /. The model may arrive after the server starts ({@link #engineReady}); until
 * then /ready and /v1 answer 503. {@link #close()} drains: in-flight requests get the shutdown grace
 * to finish (those still running then are answered 503), new ones get 503.
 */
public final class ResumoServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ResumoServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN_PATHS = Set.of("/", "/health", "/ready", "/metrics", "/openapi.json", "/v1/summarize");

    private final ServeConfig config;
    private final Metrics metrics = new Metrics();
    private final TokenAuth auth;
    private final WebPage page;
    private final byte[] openApi;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final HttpServerCore http;
    private volatile SummaryEngine engine;
    private volatile BatchScheduler scheduler;
    private volatile boolean draining;

    private ResumoServer(ServeConfig config) throws IOException {
        this.config = config;
        this.auth = new TokenAuth(config.tokens());
        this.page = new WebPage(resource("index.html"));
        this.openApi = resource("openapi.json");
        this.http = new HttpServerCore(config.host(), config.port(), config.maxBodyBytes(), HttpServerCore.DEFAULT_REQUEST_READ_LIMIT,
                java.time.Duration.ofMillis(config.idleTimeoutMs()), config.maxConnections(), new HttpHandler() {
            @Override
            public HttpResponse handle(HttpRequest request, ClientLink client) throws Exception {
                return route(request, client);
            }

            @Override
            public void answeredEarly(String path, int status) {
                metrics.countRequest(metricsPath(path), status);
            }
        });
        metrics.connections(http.connections());
    }

    /** Starts listening; {@code engine} may be null and given later through {@link #engineReady}. */
    public static ResumoServer start(ServeConfig config, SummaryEngine engine) throws IOException {
        ResumoServer s = new ResumoServer(config);
        if (engine != null) s.engineReady(engine);
        return s;
    }

    public synchronized void engineReady(SummaryEngine e) {
        if (engine != null) throw new IllegalStateException("the engine is already set");
        scheduler = new BatchScheduler(e, config.maxBatch(), config.maxWaitMs(), config.maxQueue(), metrics);
        metrics.gauges(scheduler::queuedTexts, inFlight::get);
        engine = e;
    }

    public int port() {
        return http.port();
    }

    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    public Metrics metrics() {
        return metrics;
    }

    private HttpResponse route(HttpRequest req, ClientLink client) throws Exception {
        HttpResponse r = dispatch(req, client);
        metrics.countRequest(metricsPath(req.path()), r.status());
        return draining ? r.withHeader("Connection", "close") : r;
    }

    /** The path label of a request's count: one of ours, else "other" (so clients cannot grow the label set). */
    private static String metricsPath(String path) {
        return path != null && KNOWN_PATHS.contains(path) ? path : "other";
    }

    private HttpResponse dispatch(HttpRequest req, ClientLink client) throws Exception {
        String path = req.path();
        if (path.equals("*")) { // OPTIONS * (RequestReader lets no other method through): what the server as a whole takes
            return new HttpResponse(204, "", java.util.Map.of("Allow", "GET, HEAD, POST, OPTIONS"), new byte[0]);
        }
        if (!KNOWN_PATHS.contains(path)) return ApiErrors.response(404, "path", notFound(path));
        boolean post = path.equals("/v1/summarize");
        String allow = post ? "POST, OPTIONS" : "GET, HEAD, OPTIONS";
        if (req.method().equals("OPTIONS")) return new HttpResponse(204, "", java.util.Map.of("Allow", allow), new byte[0]);
        String method = post ? "POST" : "GET";
        if (!req.method().equals(method) && !(req.method().equals("HEAD") && !post)) {
            return ApiErrors.response(405, "method", path + " takes " + method + ", not " + req.method()).withHeader("Allow", allow);
        }
        return switch (path) {
            case "/" -> page.response();
            case "/openapi.json" -> new HttpResponse(200, "application/json; charset=utf-8", java.util.Map.of(), openApi);
            case "/health" -> HttpResponse.json(200, "{\"status\":\"alive\"}");
            case "/ready" -> ready();
            case "/metrics" -> HttpResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.prometheusText());
            default -> summarize(req, client);
        };
    }

    /** A 404's message: the likely intended endpoint when only a trailing slash is off, else the endpoints there are. */
    private static String notFound(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : null;
        if (trimmed != null && KNOWN_PATHS.contains(trimmed)) return "no such endpoint: " + path + "; did you mean " + trimmed + " (no trailing slash)?";
        return "no such endpoint: " + path + "; there are POST /v1/summarize and GET /, /health, /ready, /metrics, /openapi.json";
    }

    /** Readiness, and whether /v1 calls need a token (the page asks for one only then). */
    private HttpResponse ready() {
        ObjectNode body = JSON.createObjectNode();
        SummaryEngine e = engine;
        body.put("status", draining ? "shutting down" : e == null ? "loading" : "ready");
        if (!draining && e != null) body.put("model", e.modelName());
        body.put("auth", auth.enabled());
        return HttpResponse.json(draining || e == null ? 503 : 200, body.toString());
    }

    private HttpResponse summarize(HttpRequest req, ClientLink client) throws Exception {
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        try {
            return answer(req, client, start);
        } catch (ApiException e) {
            if (e.status() >= 500 && e.status() != 503) { // 503s (loading, draining) come in bursts; the drain logs its count
                LOG.warning("request " + req.requestId() + ": " + req.method() + " " + req.path() + " answered " + e.status() + " ("
                        + e.field() + "): " + e.getMessage());
            }
            return ApiErrors.response(e);
        } catch (BatchScheduler.ClientGoneException e) {
            return ApiErrors.response(499, "client", "client closed the connection");
        } finally {
            inFlight.decrementAndGet();
            metrics.observeLatency((System.nanoTime() - start) / 1e9);
        }
    }

    private HttpResponse answer(HttpRequest req, ClientLink client, long start) throws Exception {
        if (draining) throw new ApiException(503, "server", "the server is shutting down");
        if (!auth.allows(req.header("Authorization"))) {
            return ApiErrors.response(401, "Authorization", "missing or wrong API token; send Authorization: Bearer <token>")
                    .withHeader("WWW-Authenticate", "Bearer");
        }
        // Also what stops a cross-site form or text/plain POST (a "simple" request browsers send
        // without asking) from running summaries when auth is off.
        String contentTypeProblem = JsonContentType.problem(req.header("Content-Type"));
        if (contentTypeProblem != null) throw new ApiException(415, "Content-Type", contentTypeProblem);
        if (!req.query().isEmpty()) {
            // unknown JSON fields are refused; a setting put in the URL would be ignored just as silently
            throw new ApiException(400, "query", "/v1/summarize reads no query parameters ('?" + ApiErrors.abbreviated(req.query())
                    + "'): send every setting in the JSON body");
        }
        SummaryEngine e = engine;
        BatchScheduler s = scheduler;
        if (e == null || s == null) throw new ApiException(503, "model", "the model is still loading; see /ready", 1);
        SummarizeRequest parsed = SummarizeRequest.parse(req.body(), e.defaults(), config);
        boolean truncated = false;
        for (int i = 0; i < parsed.texts().size(); i++) {
            int tokens = e.inputTokens(parsed.texts().get(i));
            if (tokens > e.maxInputTokens()) {
                if (!config.truncate()) {
                    throw new ApiException(422, parsed.single() ? "text" : "texts[" + i + "]", "input is " + tokens
                            + " tokens, longer than the model's limit of " + e.maxInputTokens() + " (server runs with --no-truncate)");
                }
                truncated = true;
            }
        }
        BatchScheduler.Job job = s.submit(parsed.texts(), parsed.settings());
        List<SummaryEngine.Summary> out = s.await(job, start + TimeUnit.MILLISECONDS.toNanos(config.timeoutMs()), client);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode summaries = body.putArray("summaries");
        long tokens = 0;
        for (SummaryEngine.Summary sum : out) {
            summaries.add(sum.text());
            tokens += sum.generatedTokens();
        }
        if (parsed.settings().numReturnSequences() > 1) {
            // Asked for several: every text's candidates, its summary first (the shape of
            // "summaries" stays the same for clients that read only that).
            ArrayNode candidates = body.putArray("candidates");
            for (SummaryEngine.Summary sum : out) {
                ArrayNode one = candidates.addArray();
                for (String c : sum.candidates()) one.add(c);
            }
        }
        body.put("model", e.modelName());
        body.put("truncated", truncated);
        body.put("tokens_generated", tokens);
        body.put("timing_ms", Math.round((System.nanoTime() - start) / 1e6 * 10) / 10.0);
        metrics.countAnsweredTokens(tokens);
        return HttpResponse.json(200, body.toString());
    }

    /** Graceful shutdown; see {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /**
     * Graceful shutdown: refuse new /v1 work (503), let in-flight requests finish within the
     * --shutdown-grace, then answer those still running 503 (cancelling their work) before the
     * connections close, so no client is left without an answer. Returns how many were cut off.
     */
    public int shutdown() {
        draining = true;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.shutdownGraceMs());
        while (inFlight.get() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int cut = 0;
        BatchScheduler s = scheduler;
        if (inFlight.get() > 0 && s != null) {
            cut = s.cutOff(new ApiException(503, "server", "the server shut down before this summary finished (--shutdown-grace "
                    + config.shutdownGraceMs() / 1000.0 + " s); its work was cancelled"));
            if (cut > 0) {
                LOG.log(Level.WARNING, cut + " requests still running when the shutdown grace of " + config.shutdownGraceMs()
                        + " ms ended: answered 503 and their work cancelled");
            }
            // the cut-off requests now return their 503s; give them a moment to leave the handler
            long answered = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (inFlight.get() > 0 && System.nanoTime() < answered) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (s != null) s.close(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
        http.close();
        return cut;
    }

    /** Starts draining without waiting (new requests get 503 from now on). */
    public void beginShutdown() {
        draining = true;
    }

    private static byte[] resource(String name) {
        try (InputStream in = ResumoServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
