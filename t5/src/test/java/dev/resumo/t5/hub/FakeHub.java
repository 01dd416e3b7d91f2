package dev.resumo.t5.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A hub on 127.0.0.1 laid out like huggingface.co: {@code /{org}/{name}/resolve/{rev}/{file}}.
 * Small files are answered directly (ETag: a git-style sha1); LFS files redirect (302) to a second
 * server standing in for the storage CDN, announcing X-Linked-Etag (sha256) and X-Linked-Size
 * like the real hub. Both honour {@code Range}. Every request is recorded. Plain http, or https
 * with a given server certificate (both servers then speak TLS, as huggingface.co and its CDN do).
 */
final class FakeHub implements AutoCloseable {
    record Seen(String server, String path, String range, String authorization) {}

    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer hub;
    private final HttpServer cdn;
    private final Map<String, byte[]> files = new HashMap<>(); // "org/name@rev/file"
    private final Set<String> lfs = new HashSet<>();
    final Set<String> wrongEtag = new HashSet<>();
    /** Files whose body is cut off after this many bytes (connection closed). */
    final Map<String, Integer> cutAfter = new HashMap<>();
    final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    /** Every Proxy-Authorization header that reached the hub or the CDN: proxy credentials must never get here. */
    final List<String> proxyAuthorizations = Collections.synchronizedList(new ArrayList<>());
    volatile String requiredToken;
    private final String scheme;

    FakeHub() throws IOException {
        this(null);
    }

    /** {@code tls}: the servers' certificate and key, or null for plain http. */
    FakeHub(SSLContext tls) throws IOException {
        scheme = tls == null ? "http" : "https";
        hub = server(tls);
        cdn = server(tls);
        hub.createContext("/", this::resolve);
        cdn.createContext("/", this::cdn);
        hub.start();
        cdn.start();
    }

    private static HttpServer server(SSLContext tls) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) return HttpServer.create(loopback, 0);
        HttpsServer server = HttpsServer.create(loopback, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return server;
    }

    URI endpoint() {
        return URI.create(scheme + "://127.0.0.1:" + hub.getAddress().getPort());
    }

    /** host:port of the storage server, where LFS files are redirected to. */
    String cdnHostAndPort() {
        return "127.0.0.1:" + cdn.getAddress().getPort();
    }

    void put(String repo, String revision, String file, byte[] content, boolean isLfs) {
        String key = repo + "@" + revision + "/" + file;
        files.put(key, content);
        if (isLfs) lfs.add(key);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void record(String server, HttpExchange ex) {
        String proxyAuthorization = ex.getRequestHeaders().getFirst("Proxy-Authorization");
        if (proxyAuthorization != null) proxyAuthorizations.add(server + ": " + proxyAuthorization);
        seen.add(new Seen(server, ex.getRequestURI().getRawPath(), ex.getRequestHeaders().getFirst("Range"),
                ex.getRequestHeaders().getFirst("Authorization")));
    }

    private void resolve(HttpExchange ex) throws IOException {
        record("hub", ex);
        try (ex) {
            if (requiredToken != null && !("Bearer " + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("X-Error-Code", "GatedRepo");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            Matcher m = RESOLVE.matcher(ex.getRequestURI().getPath());
            if (!m.matches()) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            String repo = m.group(1);
            String key = repo + "@" + m.group(2) + "/" + m.group(3);
            byte[] content = files.get(key);
            if (content == null) {
                boolean repoExists = files.keySet().stream().anyMatch(k -> k.startsWith(repo + "@"));
                boolean revExists = files.keySet().stream().anyMatch(k -> k.startsWith(repo + "@" + m.group(2) + "/"));
                ex.getResponseHeaders().add("X-Error-Code",
                        !repoExists ? "RepoNotFound" : !revExists ? "RevisionNotFound" : "EntryNotFound");
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (lfs.contains(key)) {
                String sha = wrongEtag.contains(key) ? sha256(new byte[] {42}) : sha256(content);
                ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
                ex.getResponseHeaders().add("X-Linked-Size", Long.toString(content.length));
                ex.getResponseHeaders().add("ETag", "\"" + sha + "\"");
                ex.getResponseHeaders().add("Location", scheme + "://" + cdnHostAndPort() + "/blobs/"
                        + key.replace("/", "~"));
                ex.sendResponseHeaders(302, -1);
                return;
            }
            ex.getResponseHeaders().add("ETag", "\"" + sha256(content).substring(0, 40) + "\""); // git blob sha1 style
            send(ex, key, content);
        }
    }

    private void cdn(HttpExchange ex) throws IOException {
        record("cdn", ex);
        try (ex) {
            String key = ex.getRequestURI().getPath().substring("/blobs/".length()).replace("~", "/");
            byte[] content = files.get(key);
            if (content == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            send(ex, key, content);
        }
    }

    private void send(HttpExchange ex, String key, byte[] content) throws IOException {
        int from = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher r = RANGE.matcher(range);
            if (!r.matches()) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            from = Integer.parseInt(r.group(1));
            if (from >= content.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        int length = content.length - from;
        ex.sendResponseHeaders(range != null ? 206 : 200, length);
        OutputStream out = ex.getResponseBody();
        Integer cut = cutAfter.remove(key);
        if (cut != null) {
            out.write(content, from, Math.min(cut, length));
            out.flush();
            throw new IOException("cut off on purpose");
        }
        out.write(content, from, length);
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
    }
}
