package dev.resumo.train.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server in the hub's dataset layout: {@code GET /api/datasets/ORG/NAME/revision/REV}
 * answers {@code {"siblings":[{"rfilename":...}]}}, {@code GET /datasets/ORG/NAME/resolve/REV/FILE}
 * the file's bytes. Unknown repositories are 404 with {@code X-Error-Code: RepoNotFound}, unknown
 * files 404 with {@code EntryNotFound}; with {@link #requiredToken} set, requests without
 * {@code Authorization: Bearer <token>} are 401. A revision is one path segment, percent-encoded
 * ({@code refs%2Fconvert%2Fparquet}) as the hub wants it: one sent with a bare '/' matches no route.
 */
final class FakeDatasetHub implements AutoCloseable {
    private static final Pattern API = Pattern.compile("/api/datasets/([^/]+/[^/]+)/revision/([^/]+)");
    private static final Pattern RESOLVE = Pattern.compile("/datasets/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");

    private final HttpServer server;
    private final Map<String, Map<String, byte[]>> repos = new LinkedHashMap<>(); // "org/name@rev" -> file -> bytes
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    volatile String requiredToken;

    FakeDatasetHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void put(String repo, String file, byte[] content) {
        put(repo, "main", file, content);
    }

    /** {@code file} of {@code repo} at {@code revision} (as given, e.g. refs/convert/parquet; requests are decoded). */
    void put(String repo, String revision, String file, byte[] content) {
        repos.computeIfAbsent(repo + "@" + revision, k -> new LinkedHashMap<>()).put(file, content);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        requests.add(path);
        try (ex) {
            if (requiredToken != null && !("Bearer " + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "Unauthorized", null);
                return;
            }
            Matcher api = API.matcher(path);
            Matcher resolve = RESOLVE.matcher(path);
            if (api.matches()) {
                Map<String, byte[]> files = repos.get(api.group(1) + "@" + decode(api.group(2)));
                if (files == null) {
                    send(ex, 404, "no repo", "RepoNotFound");
                    return;
                }
                StringBuilder json = new StringBuilder("{\"id\":\"" + api.group(1) + "\",\"siblings\":[");
                int i = 0;
                for (String f : files.keySet()) json.append(i++ > 0 ? "," : "").append("{\"rfilename\":\"").append(f).append("\"}");
                send(ex, 200, json.append("]}").toString(), null);
            } else if (resolve.matches()) {
                Map<String, byte[]> files = repos.get(resolve.group(1) + "@" + decode(resolve.group(2)));
                byte[] body = files == null ? null : files.get(resolve.group(3));
                if (body == null) {
                    send(ex, 404, "not found", files == null ? "RepoNotFound" : "EntryNotFound");
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } else {
                send(ex, 404, "no route", null);
            }
        }
    }

    private static void send(HttpExchange ex, int status, String text, String errorCode) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (errorCode != null) ex.getResponseHeaders().add("X-Error-Code", errorCode);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
