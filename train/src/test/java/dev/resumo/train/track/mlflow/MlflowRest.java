package dev.resumo.train.track.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a run back through MLflow's REST API, independently of the client under test
 * (java.net.http + Jackson, the documented endpoints).
 */
final class MlflowRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    MlflowRest(String base) {
        this.base = base.replaceAll("/+$", "");
    }

    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("GET " + pathAndQuery + ": HTTP " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    JsonNode post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("POST " + path + ": HTTP " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    JsonNode run(String runId) throws IOException, InterruptedException {
        return get("/api/2.0/mlflow/runs/get?run_id=" + q(runId)).path("run");
    }

    static Map<String, String> pairs(JsonNode array) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode n : array) out.put(n.path("key").asText(), n.path("value").asText());
        return out;
    }

    /** step → value of one metric's whole history, in step order (a step logged twice keeps both, as a list). */
    Map<Long, List<Double>> history(String runId, String key) throws IOException, InterruptedException {
        Map<Long, List<Double>> out = new TreeMap<>();
        String token = "";
        do {
            JsonNode page = get("/api/2.0/mlflow/metrics/get-history?run_id=" + q(runId) + "&metric_key=" + q(key)
                    + "&max_results=25000" + (token.isEmpty() ? "" : "&page_token=" + q(token)));
            for (JsonNode m : page.path("metrics")) {
                out.computeIfAbsent(m.path("step").asLong(), s -> new ArrayList<>()).add(value(m.path("value")));
            }
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        return out;
    }

    private static double value(JsonNode v) {
        return v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
    }

    /** Artifact path → size of the files directly under path ("" = the root); directories map to -1. */
    Map<String, Long> listArtifacts(String runId, String path) throws IOException, InterruptedException {
        JsonNode r = get("/api/2.0/mlflow/artifacts/list?run_id=" + q(runId) + (path.isEmpty() ? "" : "&path=" + q(path)));
        Map<String, Long> out = new LinkedHashMap<>();
        for (JsonNode f : r.path("files")) out.put(f.path("path").asText(), f.path("is_dir").asBoolean() ? -1 : f.path("file_size").asLong());
        return out;
    }

    byte[] download(String experimentId, String runId, String artifactPath) throws IOException, InterruptedException {
        String url = base + "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/" + artifactPath;
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IOException("GET " + url + ": HTTP " + r.statusCode());
        return r.body();
    }

    JsonNode modelVersions(String name) throws IOException, InterruptedException {
        return get("/api/2.0/mlflow/model-versions/search?filter=" + q("name='" + name + "'")).path("model_versions");
    }

    /** Runs of an experiment whose run name is the given one. */
    JsonNode runsNamed(String experimentId, String runName) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set("experiment_ids",
                JSON.createArrayNode().add(experimentId)).put("filter", "attributes.run_name = '" + runName + "'").toString();
        return post("/api/2.0/mlflow/runs/search", body).path("runs");
    }
}
