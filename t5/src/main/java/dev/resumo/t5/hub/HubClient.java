package dev.resumo.t5.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.io.FileSync;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Downloads single files from a Hugging Face hub ({@code /{repo}/resolve/{revision}/{file}} for models,
 * {@code /datasets/{repo}/resolve/...} for datasets) and lists a repository's files through its API.
 * Each file goes to {@code <target>.part} first: an existing part is continued with a
 * {@code Range} request; the finished part is checked against the size the hub announces
 * ({@code X-Linked-Size}, else {@code Content-Length}) and, for LFS files, against the sha256 in
 * {@code X-Linked-Etag}/{@code ETag}; only then is it renamed into place. A mismatched file is
 * deleted and reported, never used. The token goes only to the endpoint's own host, not to the
 * storage host a download is redirected to.
 */
public final class HubClient {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int MAX_REDIRECTS = 10;
    private static final int BUFFER_BYTES = 1 << 20;

    private final URI endpoint;
    private final String token;
    private final PrintStream log;
    /** Made at the first request ({@link #http()}), with {@link #caBundle}; null until then. */
    private HttpClient http;
    private final Duration stallTimeout;
    /**
     * HF_HUB_OFFLINE set: no request leaves the machine (cached models and datasets need none), and
     * one that would is refused at once, saying so. Without it, a node behind a firewall waited for
     * the 30 s connect timeout of every uncached file, and the error did not say the variable had
     * been ignored.
     */
    private final boolean offline;
    /** The environment's proxies, or null to go direct. */
    private final EnvironmentProxies proxies;
    /**
     * The CA bundle the environment names ({@link CaBundle#fromEnvironment}), read at the first request:
     * every command given a local model folder makes a client it never uses, and a stale
     * SSL_CERT_FILE must not stop it (huggingface_hub reads the bundle only to connect, too). The
     * client is made then as well: reading the 144-CA system bundle and building the JDK HttpClient
     * took 0.28-0.36 s of a cold JVM (5 runs, 2-core machine); fromEnvironment now takes 13-24 ms.
     */
    private final Supplier<CaBundle> caBundleSource;
    /** What {@link #caBundleSource} gave, once read: null for the JDK's trust store (and -Djavax.net.ssl.trustStore). */
    private CaBundle caBundle;

    static {
        // Before this class builds its HttpClient: see ProxyTunnelAuthentication for why.
        ProxyTunnelAuthentication.allowBasic();
    }

    /**
     * How long a download may go without receiving a single byte before it is given up (the .part
     * file is kept, so the next run resumes). Java's HttpClient has no read timeout of its own and
     * TCP keepalive takes hours, so a server that stalls after its headers would hang forever.
     * 60 s: far longer than any hiccup of a live connection (a slow link still delivers bytes every
     * second; CDN and load-balancer pauses last seconds), short enough that a dead one is reported
     * while the user still waits. The system property {@code resumo.hub.stallTimeoutSeconds} changes it.
     */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param endpoint hub root, e.g. https://huggingface.co
     * @param token sent as {@code Authorization: Bearer} when not null/blank
     * @param log where progress lines go; null for silence
     */
    public HubClient(URI endpoint, String token, PrintStream log) {
        this(endpoint, token, log, stallTimeoutFromProperty());
    }

    /** As above, giving up a download after {@code stallTimeout} without a byte. */
    public HubClient(URI endpoint, String token, PrintStream log, Duration stallTimeout) {
        this(endpoint, token, log, stallTimeout, false, null, null);
    }

    /**
     * {@code proxies}: the environment's (see {@link EnvironmentProxies}), or null to go direct;
     * {@code caBundleSource}: gives the CAs to trust instead of the JDK's (see {@link CaBundle}), or null.
     */
    private HubClient(URI endpoint, String token, PrintStream log, Duration stallTimeout, boolean offline,
                      EnvironmentProxies proxies, Supplier<CaBundle> caBundleSource) {
        this.offline = offline;
        this.proxies = proxies;
        this.caBundleSource = caBundleSource;
        if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stall timeout must be > 0, got " + stallTimeout);
        }
        this.stallTimeout = stallTimeout;
        this.endpoint = Objects.requireNonNull(endpoint);
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.log = log;
    }

    /** The HTTP client, made at the first call with the environment's CA bundle, if any. */
    private synchronized HttpClient http() {
        if (http != null) return http;
        try {
            caBundle = caBundleSource == null ? null : caBundleSource.get();
        } catch (IllegalArgumentException e) { // the variable's one-line message, as a download failure
            throw new HubException(HubException.Kind.NETWORK, e.getMessage() + "; nothing was downloaded", e);
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER) // redirects carry the LFS sha256: follow them by hand
                .connectTimeout(Duration.ofSeconds(30));
        if (proxies != null) builder.proxy(proxies);
        if (caBundle != null) builder.sslContext(caBundle.sslContext());
        http = builder.build();
        return http;
    }

    private static Duration stallTimeoutFromProperty() {
        String v = System.getProperty("resumo.hub.stallTimeoutSeconds");
        if (v == null || v.isBlank()) return DEFAULT_STALL_TIMEOUT;
        try {
            double seconds = Double.parseDouble(v.strip());
            if (seconds > 0 && Double.isFinite(seconds)) return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("resumo.hub.stallTimeoutSeconds: must be a number of seconds > 0, got '" + v + "'");
    }

    /**
     * A client configured from {@code HF_ENDPOINT} (default https://huggingface.co), {@code HF_TOKEN},
     * {@code HF_HUB_OFFLINE} and the proxy variables ({@code HTTPS_PROXY}, {@code HTTP_PROXY},
     * {@code ALL_PROXY}, {@code NO_PROXY}, either case: {@link EnvironmentProxies}) and the CA bundle
     * variables ({@code REQUESTS_CA_BUNDLE}, {@code CURL_CA_BUNDLE}, {@code SSL_CERT_FILE}, {@code SSL_CERT_DIR}: {@link CaBundle}).
     */
    public static HubClient fromEnvironment(Map<String, String> env, PrintStream log) {
        String endpoint = env.getOrDefault("HF_ENDPOINT", "");
        if (endpoint.isBlank()) endpoint = DEFAULT_ENDPOINT;
        URI uri;
        try {
            uri = URI.create(endpoint.strip().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HF_ENDPOINT '" + endpoint + "' is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("HF_ENDPOINT '" + endpoint + "' must be an http(s) URL");
        }
        // Checked here so the error names HF_ENDPOINT: the HTTP client's own ("unsupported URI
        // http:///x/org/...", "port out of range:99999") came at the first request and named neither.
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("HF_ENDPOINT '" + endpoint + "' has no valid host name (e.g. https://huggingface.co)");
        }
        if (uri.getPort() > 65535) {
            throw new IllegalArgumentException("HF_ENDPOINT '" + endpoint + "': port " + uri.getPort() + " is out of range");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("HF_ENDPOINT '" + endpoint + "' must not have a query or fragment (file paths go after it)");
        }
        return new HubClient(uri, env.get("HF_TOKEN"), log, stallTimeoutFromProperty(), isTrue(env.get("HF_HUB_OFFLINE")),
                EnvironmentProxies.from(env), () -> CaBundle.fromEnvironment(env));
    }

    /** huggingface_hub's reading of a boolean variable: 1, ON, YES or TRUE in any case. */
    private static boolean isTrue(String value) {
        return value != null && Set.of("1", "on", "yes", "true").contains(value.strip().toLowerCase(Locale.ROOT));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The URL of {@code file} in model {@code repo} at {@code revision}. */
    public URI fileUrl(RepoId repo, String revision, String file) {
        return fileUrl(RepoKind.MODEL, repo, revision, file);
    }

    /** The URL of {@code file} in {@code repo} (a model or a dataset) at {@code revision}. */
    public URI fileUrl(RepoKind kind, RepoId repo, String revision, String file) {
        String base = endpoint.toString().replaceAll("/+$", "");
        return URI.create(base + "/" + kind.pathPrefix + repo + "/resolve/" + segment(revision) + "/" + path(file));
    }

    /**
     * A file path with each segment percent-encoded, as huggingface_hub's quote(filename): a dataset
     * file named "my data.jsonl" made URI.create throw (a stack trace), and a '#' or '?' in a name
     * would have cut the URL short.
     */
    private static String path(String file) {
        StringBuilder b = new StringBuilder();
        for (String part : file.split("/", -1)) {
            if (!b.isEmpty()) b.append('/');
            b.append(segment(part));
        }
        return b.toString();
    }

    /** One path segment (a revision's '/' too, as the hub expects "refs%2Fpr%2F1"). */
    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The paths of every file in {@code repo} at {@code revision}, from the hub API
     * ({@code /api/datasets/{repo}/revision/{revision}}, its {@code siblings[].rfilename}).
     *
     * @throws HubException with the same user-facing messages as a download (401/403/404, network)
     */
    public List<String> listFiles(RepoKind kind, RepoId repo, String revision) {
        String base = endpoint.toString().replaceAll("/+$", "");
        URI url = URI.create(base + "/api/" + kind.apiSegment + "/" + repo + "/revision/"
                + segment(revision));
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().header("User-Agent", "resumo");
        if (token != null) request.header("Authorization", "Bearer " + token);
        HttpResponse<InputStream> response = sendRetrying(request.build(), repo, "file list");
        if (response.statusCode() != 200) {
            close(response.body());
            throw failure(repo, revision, "(file list)", new Remote(url, response, null, -1));
        }
        JsonNode siblings;
        try (InputStream in = response.body()) {
            siblings = new ObjectMapper().readTree(in).path("siblings");
        } catch (IOException e) {
            throw new HubException(HubException.Kind.HTTP, repo + ": the file list from " + url + " is not valid JSON ("
                    + e.getMessage() + ")", e);
        }
        if (!siblings.isArray()) {
            throw new HubException(HubException.Kind.HTTP, repo + ": the answer of " + url + " has no \"siblings\" list");
        }
        List<String> files = new ArrayList<>();
        for (JsonNode sibling : siblings) {
            String name = sibling.path("rfilename").asText("");
            if (!name.isEmpty()) files.add(name);
        }
        return files;
    }

    /**
     * Downloads {@code file} to {@code target}, resuming {@code target.part} if present. One download
     * of a target at a time ({@link DownloadLock}); a target already there is kept as it is.
     *
     * @return false if the hub says the file does not exist and {@code optional} is true
     * @throws HubException for every other failure, with a message for the user
     */
    public boolean download(RepoId repo, String revision, String file, Path target, boolean optional) {
        return download(RepoKind.MODEL, repo, revision, file, target, optional);
    }

    /** {@link #download(RepoId, String, String, Path, boolean)} from a model or a dataset repository. */
    public boolean download(RepoKind kind, RepoId repo, String revision, String file, Path target, boolean optional) {
        try (DownloadLock lock = DownloadLock.acquire(target, repo + "/" + file, log)) {
            // The target only ever appears whole (renamed from the checked part): when it is there, another
            // process or thread fetched it while this one waited for the lock.
            if (Files.isRegularFile(target)) return true;
            return downloadLocked(kind, repo, revision, file, target, optional);
        }
    }

    private boolean downloadLocked(RepoKind kind, RepoId repo, String revision, String file, Path target, boolean optional) {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        for (int attempt = 0; ; attempt++) {
            long have = sizeOf(part);
            Remote remote = open(kind, repo, revision, file, have);
            int status = remote.response.statusCode();
            if (status == 416 && have > 0 && attempt == 0) {
                // The part is no prefix the server can continue (e.g. the file changed): start over.
                close(remote.response.body());
                delete(part);
                continue;
            }
            if (status == 404 && optional && !"RepoNotFound".equals(errorCode(remote.response))
                    && !"RevisionNotFound".equals(errorCode(remote.response))) {
                close(remote.response.body());
                return false;
            }
            if (status != 200 && status != 206) {
                close(remote.response.body());
                throw failure(repo, revision, file, remote);
            }
            String type = remote.response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (type.startsWith("text/html")) {
                close(remote.response.body());
                throw new HubException(HubException.Kind.CORRUPT, repo + "/" + file + ": " + remote.url
                        + " answered an HTML page (Content-Type " + type + "), not the file: a login or error page?"
                        + " Check HF_ENDPOINT and HF_TOKEN; nothing was stored");
            }
            boolean endUnknown = !receive(repo, file, remote, have, part);
            String problem = DownloadedFileCheck.problem(file, part, endUnknown);
            if (problem != null) {
                delete(part);
                throw new HubException(HubException.Kind.CORRUPT, repo + "/" + file + " from " + remote.url + ": " + problem
                        + "; the download was deleted and not used");
            }
            moveIntoPlace(part, target);
            return true;
        }
    }

    /** A response with the checksum and size collected on the way through redirects. */
    private record Remote(URI url, HttpResponse<InputStream> response, String sha256, long linkedSize) {}

    private Remote open(RepoKind kind, RepoId repo, String revision, String file, long have) {
        URI url = fileUrl(kind, repo, revision, file);
        String sha256 = null;
        long linkedSize = -1;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().header("User-Agent", "resumo");
            if (token != null && sameOrigin(url, endpoint)) request.header("Authorization", "Bearer " + token);
            if (have > 0) request.header("Range", "bytes=" + have + "-");
            HttpResponse<InputStream> response = sendRetrying(request.build(), repo, file);
            sha256 = sha256 != null ? sha256 : sha256Of(response);
            if (linkedSize < 0) linkedSize = longHeader(response, "X-Linked-Size");
            int status = response.statusCode();
            if (status < 300 || status >= 400 || status == 304) return new Remote(url, response, sha256, linkedSize);
            close(response.body());
            String location = response.headers().firstValue("Location").orElseThrow(() -> new HubException(
                    HubException.Kind.HTTP, repo + ": " + file + ": redirect " + status + " without a Location"));
            url = url.resolve(location);
        }
        throw new HubException(HubException.Kind.HTTP, repo + ": " + file + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /** host:port with the scheme's default port when the URL has none (the URI says -1). */
    static String hostAndPort(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    /**
     * What failed, in words: the JDK's client reports a name that does not resolve as a
     * ConnectException (its cause an UnresolvedAddressException) and a refused connection as a
     * ConnectException with no message, so its toString() alone sent users to the wrong problem.
     */
    static String whyUnreachable(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "the host name does not resolve";
            }
        }
        if (e instanceof HttpConnectTimeoutException) return "the connection timed out";
        String message = e.getMessage();
        return message == null || message.isBlank() ? "connection refused" : message;
    }

    /** {@link #send}, asking again after a 429 or 5xx as {@link HubRetry} says. */
    private HttpResponse<InputStream> sendRetrying(HttpRequest request, RepoId repo, String file) {
        for (int tries = 1; ; tries++) {
            HttpResponse<InputStream> response = send(request, repo, file);
            Optional<Duration> wait = HubRetry.waitBeforeNextTry(response, tries);
            if (wait.isEmpty()) return response;
            close(response.body());
            if (log != null) {
                log.println("HTTP " + response.statusCode() + " from " + request.uri().getHost() + " for " + repo + "/" + file
                        + "; trying again in " + wait.get().toMillis() / 1000.0 + " s (try " + (tries + 1) + " of " + HubRetry.MAX_TRIES + ")");
            }
            try {
                Thread.sleep(wait.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException(HubException.Kind.NETWORK, "download of " + repo + "/" + file + " interrupted", e);
            }
        }
    }

    /** host:port of the proxy the client uses for {@code uri}, or null when it goes direct. */
    private String proxyFor(URI uri) {
        EnvironmentProxies.ProxyUrl proxy = proxies == null ? null : proxies.proxyFor(uri);
        return proxy == null ? null : proxy.hostAndPort();
    }

    /**
     * {@code request} with the Proxy-Authorization of the proxy it goes through, when that proxy's
     * URL has credentials. Added per request, never on a direct one, so they reach only the proxy;
     * the JDK sends it on the CONNECT of an https tunnel and strips Proxy-* headers from the request
     * inside the tunnel, so the hub never sees it either way.
     */
    private HttpRequest withProxyAuthorization(HttpRequest request) {
        if (proxies == null) return request;
        return proxies.authorizationFor(request.uri())
                .map(value -> HttpRequest.newBuilder(request, (name, v) -> true).setHeader("Proxy-Authorization", value).build())
                .orElse(request);
    }

    /**
     * A 407 from the proxy, in words that name the variable (never the password): without this it read
     * "HTTP 407 from huggingface.co", blaming the hub for the proxy's refusal.
     */
    private HubException proxyRefused(HttpRequest request, RepoId repo, String file) {
        EnvironmentProxies.ProxyUrl proxy = proxies == null ? null : proxies.proxyFor(request.uri());
        if (proxy == null) {
            return new HubException(HubException.Kind.HTTP, repo + ": " + file + ": HTTP 407 (proxy authentication required) from "
                    + request.uri().getHost() + ", which no proxy variable names; set HTTPS_PROXY / HTTP_PROXY to the proxy,"
                    + " with its user and password: http://USER:PASSWORD@host:port");
        }
        String what = proxy.authorization() != null
                ? "did not accept the user name and password in " + proxy.variable() + "; check them (percent-encode"
                        + " '@' ':' '/' '%' in them as %40 %3A %2F %25)"
                : "asks for a user name and password; give them in " + proxy.variable() + " as http://USER:PASSWORD@"
                        + proxy.hostAndPort();
        return new HubException(HubException.Kind.NETWORK, "the proxy " + proxy.hostAndPort() + " (" + proxy.variable()
                + ") answered 407 Proxy Authentication Required for " + repo + "/" + file + ": it " + what);
    }

    private HttpResponse<InputStream> send(HttpRequest request, RepoId repo, String file) {
        if (offline) {
            throw new HubException(HubException.Kind.NETWORK, repo + "/" + file + " is not in the cache and HF_HUB_OFFLINE is set,"
                    + " so it was not downloaded; unset HF_HUB_OFFLINE (or fetch it where the hub is reachable)");
        }
        try {
            HttpRequest sent = withProxyAuthorization(request);
            HttpResponse<InputStream> response = http().send(sent, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 407) {
                close(response.body());
                throw proxyRefused(request, repo, file);
            }
            return response;
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            String proxy = proxyFor(request.uri());
            if (proxy != null) {
                // The connection that failed was the proxy's: naming the hub would send the user to the wrong place.
                throw new HubException(HubException.Kind.NETWORK, "cannot reach the proxy " + proxy + " for " + repo + "/" + file
                        + " (" + whyUnreachable(e) + "); check HTTPS_PROXY / HTTP_PROXY, or list the host in NO_PROXY", e);
            }
            throw new HubException(HubException.Kind.NETWORK, "cannot reach " + hostAndPort(request.uri()) + " for " + repo + "/"
                    + file + " (" + whyUnreachable(e) + "); check the network, or set HF_ENDPOINT to a reachable hub", e);
        } catch (SSLException e) {
            // Before IOException: its toString() was a one-line JDK riddle ("PKIX path building failed: ...").
            throw new HubException(HubException.Kind.NETWORK, TlsFailure.message(e, hostAndPort(request.uri()), repo + "/" + file,
                    proxyFor(request.uri()), caBundle), e);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.NETWORK, "request for " + repo + "/" + file + " to "
                    + request.uri().getHost() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.NETWORK, "download of " + repo + "/" + file + " interrupted", e);
        }
    }

    /**
     * Streams the body into the part file, then checks its size and sha256; false when the server
     * gave neither (the body ended when the connection closed: complete or not, nothing here can tell).
     */
    private boolean receive(RepoId repo, String file, Remote remote, long have, Path part) {
        HttpResponse<InputStream> response = remote.response;
        boolean resumed = response.statusCode() == 206;
        if (resumed) {
            Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                close(response.body());
                delete(part);
                throw new HubException(HubException.Kind.CORRUPT, repo + "/" + file + ": the server resumed at the wrong"
                        + " offset (Content-Range '" + response.headers().firstValue("Content-Range").orElse("") + "',"
                        + " asked for byte " + have + "); the partial download was deleted, run again");
            }
        }
        long start = resumed ? have : 0;
        long length = longHeader(response, "Content-Length");
        long expected = remote.linkedSize >= 0 ? remote.linkedSize : length >= 0 ? start + length : -1;
        MessageDigest digest = sha256();
        if (start > 0 && remote.sha256 != null) hashExisting(part, digest);
        if (log != null) {
            log.println((start > 0 ? "resuming " : "downloading ") + repo + "/" + file
                    + (expected >= 0 ? " (" + expected + " bytes" + (start > 0 ? ", from byte " + start : "") + ")" : ""));
        }
        long written = start;
        StandardOpenOption mode = start > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        OutputStream out;
        try {
            out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        } catch (IOException e) {
            close(response.body());
            throw cannotWrite(repo, file, part, written, e);
        }
        StallWatch watch = new StallWatch(response.body(), stallTimeout);
        try (InputStream in = response.body(); out) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) > 0; ) {
                watch.progressed();
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw cannotWrite(repo, file, part, written, e);
                }
                digest.update(buffer, 0, n);
                written += n;
            }
        } catch (IOException e) {
            if (watch.stalled()) {
                throw new HubException(HubException.Kind.NETWORK, repo + "/" + file + ": no data for " + stallTimeout.toMillis() / 1000.0
                        + " s after " + written + " bytes; gave up; run again to resume from " + part.getFileName(), e);
            }
            throw new HubException(HubException.Kind.NETWORK, repo + "/" + file + ": download broke off after " + written
                    + " bytes (" + e.getMessage() + "); run again to resume from " + part.getFileName(), e);
        } finally {
            watch.stop();
        }
        if (watch.stalled()) {
            throw new HubException(HubException.Kind.NETWORK, repo + "/" + file + ": no data for " + stallTimeout.toMillis() / 1000.0
                    + " s after " + written + " bytes; gave up; run again to resume from " + part.getFileName());
        }
        if (expected >= 0 && written < expected) {
            throw new HubException(HubException.Kind.NETWORK, repo + "/" + file + ": download stopped at " + written
                    + " of " + expected + " bytes; run again to resume from " + part.getFileName());
        }
        if (expected >= 0 && written > expected) {
            delete(part);
            throw new HubException(HubException.Kind.CORRUPT, repo + "/" + file + ": received " + written
                    + " bytes but the hub announced " + expected + "; the download was deleted");
        }
        if (remote.sha256 != null) {
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(remote.sha256)) {
                delete(part);
                throw new HubException(HubException.Kind.CORRUPT, repo + "/" + file + ": sha256 mismatch: the hub"
                        + " announced " + remote.sha256 + " but the download hashes to " + actual
                        + "; the file was deleted and not used");
            }
        }
        return expected >= 0 || remote.sha256 != null;
    }

    /**
     * The cache could not take the bytes (a full disk, a read-only folder). Reported apart from a
     * broken connection, whose advice ("run again") would fail the same way; the part keeps what was
     * written, so the run after the fix resumes.
     */
    private static HubException cannotWrite(RepoId repo, String file, Path part, long written, IOException e) {
        String reason = e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
        return new HubException(HubException.Kind.LOCAL_IO, repo + "/" + file + ": cannot write " + part + " after " + written
                + " bytes (" + reason + "); free space or make the cache folder writable, then run again to resume", e);
    }

    private HubException failure(RepoId repo, String revision, String file, Remote remote) {
        int status = remote.response.statusCode();
        String code = errorCode(remote.response);
        String tokenNote = token == null ? "set HF_TOKEN to a token that has access"
                : "the HF_TOKEN given was not accepted for it";
        return switch (status) {
            case 401 -> new HubException(HubException.Kind.UNAUTHORIZED, repo + ": 401 Unauthorized for " + file
                    + ": the repository does not exist, or it is private or gated; " + tokenNote);
            case 403 -> new HubException(HubException.Kind.UNAUTHORIZED, repo + ": 403 Forbidden for " + file
                    + ": access is gated (accept the model's terms on its hub page) or restricted; " + tokenNote);
            case 404 -> new HubException(HubException.Kind.NOT_FOUND, switch (code == null ? "" : code) {
                case "RepoNotFound" -> "repository " + repo + " not found on " + endpoint;
                case "RevisionNotFound" -> "revision '" + revision + "' not found in " + repo;
                default -> repo + ": file " + file + " not found at revision '" + revision + "' (" + remote.url + ")";
            });
            default -> new HubException(HubException.Kind.HTTP, repo + ": " + file + ": HTTP " + status + " from "
                    + remote.url.getHost() + (HubRetry.retried(status) ? retryAdvice(remote.response) : ""));
        };
    }

    /** Why a 429 or 5xx is final, and what to do. */
    private static String retryAdvice(HttpResponse<?> response) {
        String what = response.statusCode() == 429 ? " (too many requests: the hub is rate-limiting"
                + " this token or address" : " (the server failed";
        Optional<Duration> after = HubRetry.retryAfter(response);
        if (after.isPresent() && after.get().compareTo(HubRetry.MAX_WAIT) > 0) {
            return what + "); it asks to wait " + after.get().toSeconds() + " s (Retry-After): run again after that";
        }
        return what + "; still so after " + HubRetry.MAX_TRIES + " tries); run again later";
    }

    private static String errorCode(HttpResponse<?> response) {
        return response.headers().firstValue("X-Error-Code").orElse(null);
    }

    /** The sha256 an LFS file announces: X-Linked-Etag, else ETag, when it is 64 hex digits. */
    private static String sha256Of(HttpResponse<?> response) {
        for (String header : new String[] {"X-Linked-Etag", "ETag"}) {
            String v = response.headers().firstValue(header).orElse(null);
            if (v == null) continue;
            v = v.strip();
            if (v.startsWith("W/")) v = v.substring(2);
            v = v.replace("\"", "").toLowerCase(Locale.ROOT);
            if (SHA256.matcher(v).matches()) return v;
        }
        return null;
    }

    private static long longHeader(HttpResponse<?> response, String name) {
        String v = response.headers().firstValue(name).orElse(null);
        if (v == null) return -1;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && a.getPort() == b.getPort();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void hashExisting(Path part, MessageDigest digest) {
        try (InputStream in = Files.newInputStream(part)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.LOCAL_IO, part + ": cannot read the partial download: " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The checked download under its final name, durably: its bytes fsync'd before the rename (else a
     * power cut could leave the final name on a file of zeros, which the cache would then trust), the
     * folder after it (else the name itself could be lost; a new download then, not a wrong file).
     */
    private static void moveIntoPlace(Path part, Path target) {
        try {
            FileSync.file(part);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.LOCAL_IO, "cannot sync " + part + " to disk: " + e.getMessage(), e);
        }
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new HubException(HubException.Kind.LOCAL_IO, "cannot move " + part + " to " + target + ": " + e.getMessage(), e);
        }
        FileSync.folder(target.toAbsolutePath().getParent());
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // reported by the caller's own error; a stale part is re-validated next time anyway
        }
    }

    /** Null-safe: the 407 the JDK makes up for a refused CONNECT has no body at all. */
    private static void close(InputStream in) {
        if (in == null) return;
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to recover: the response is being discarded
        }
    }
}
