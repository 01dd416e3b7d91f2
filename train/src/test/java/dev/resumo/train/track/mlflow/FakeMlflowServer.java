package dev.resumo.train.track.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback tracking server speaking the MLflow REST calls {@link MlflowApi} makes: experiments
 * get-by-name, runs create / search / update / log-batch, and PUT of proxied artifacts. It can be
 * made to fail (503, as a restarting server behind a proxy answers) until {@link #recover} is
 * called, and counts the metric values it accepted after that: what the client's recovery message
 * must name.
 */
final class FakeMlflowServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_ID = "0123456789abcdef0123456789abcdef";
    private static final String RUN_INFO = "{\"run_id\":\"" + RUN_ID + "\",\"run_uuid\":\"" + RUN_ID + "\",\"experiment_id\":\"1\","
            + "\"status\":\"RUNNING\",\"lifecycle_stage\":\"active\",\"artifact_uri\":\"mlflow-artifacts:/1/" + RUN_ID + "/artifacts\"}";

    private final HttpServer server;
    private volatile boolean failing;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger metricValues = new AtomicInteger();
    private final AtomicInteger metricValuesAfterRecovery = new AtomicInteger();
    private final AtomicInteger uploads = new AtomicInteger();

    FakeMlflowServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on every call is answered 503 until {@link #recover}. */
    void fail() {
        failing = true;
    }

    /** Answers again; metric values accepted from now on are counted in {@link #metricValuesAfterRecovery}. */
    void recover() {
        metricValuesAfterRecovery.set(0);
        failing = false;
    }

    /** HTTP requests answered 503 so far (the client may repeat one call several times). */
    int refused() {
        return refused.get();
    }

    int metricValues() {
        return metricValues.get();
    }

    int metricValuesAfterRecovery() {
        return metricValuesAfterRecovery.get();
    }

    int uploads() {
        return uploads.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (failing) {
                refused.incrementAndGet();
                send(ex, 503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"the fake server is down\"}");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.startsWith(ArtifactLocation.API) && ex.getRequestMethod().equals("PUT")) {
                uploads.incrementAndGet();
                send(ex, 200, "{}");
                return;
            }
            switch (path) {
                case "/api/2.0/mlflow/experiments/get-by-name" -> send(ex, 200,
                        "{\"experiment\":{\"experiment_id\":\"1\",\"name\":\"recovery\",\"lifecycle_stage\":\"active\"}}");
                case "/api/2.0/mlflow/runs/create" -> send(ex, 200, "{\"run\":{\"info\":" + RUN_INFO + ",\"data\":{}}}");
                case "/api/2.0/mlflow/runs/search" -> send(ex, 200, "{}");
                case "/api/2.0/mlflow/runs/update" -> send(ex, 200, "{\"run_info\":" + RUN_INFO + "}");
                case "/api/2.0/mlflow/runs/log-batch" -> {
                    JsonNode batch = JSON.readTree(new String(body, StandardCharsets.UTF_8));
                    int n = batch.path("metrics").size();
                    metricValues.addAndGet(n);
                    metricValuesAfterRecovery.addAndGet(n);
                    send(ex, 200, "{}");
                }
                default -> send(ex, 404, "{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":\"no " + path + " here\"}");
            }
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
