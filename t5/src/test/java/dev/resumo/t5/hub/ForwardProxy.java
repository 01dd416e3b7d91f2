package dev.resumo.t5.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain-http forward proxy on 127.0.0.1 for tests: it takes requests in absolute form ("GET
 * http://host/path"), as a client configured with a proxy sends them, forwards them and copies the
 * answer back, and records every URL it was asked for.
 */
final class ForwardProxy implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "proxy-connection", "transfer-encoding", "keep-alive");
    final List<URI> asked = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final HttpClient upstream = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    ForwardProxy() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            URI target = ex.getRequestURI();
            asked.add(target);
            if (target.getHost() == null) { // origin form: not a proxy request
                ex.sendResponseHeaders(400, -1);
                return;
            }
            HttpRequest.Builder rq = HttpRequest.newBuilder(target)
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                if (NOT_FORWARDED.contains(h.getKey().toLowerCase())) continue;
                for (String v : h.getValue()) rq.header(h.getKey(), v);
            }
            HttpResponse<InputStream> rs;
            try {
                rs = upstream.send(rq.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            }
            rs.headers().map().forEach((k, vs) -> {
                if (!NOT_FORWARDED.contains(k.toLowerCase()) && !k.startsWith(":")) ex.getResponseHeaders().put(k, vs);
            });
            byte[] body = rs.body().readAllBytes();
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(rs.statusCode(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
