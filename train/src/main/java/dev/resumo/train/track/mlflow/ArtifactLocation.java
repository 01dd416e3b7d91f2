package dev.resumo.train.track.mlflow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a run's artifacts go through the server's proxied artifact API: a run created on a server
 * started with --serve-artifacts has an artifact URI like mlflow-artifacts:/1/RUN/artifacts (or
 * mlflow-artifacts://host:port/1/RUN/artifacts), which maps to
 * PUT /api/2.0/mlflow-artifacts/artifacts/1/RUN/artifacts/PATH.
 */
final class ArtifactLocation {
    private static final String SCHEME = "mlflow-artifacts:";
    static final String API = "/api/2.0/mlflow-artifacts/artifacts/";

    private ArtifactLocation() {}

    /** The artifact root's path below the proxied API (e.g. 1/RUN/artifacts), if the server proxies artifacts. */
    static Optional<String> proxiedRoot(String artifactUri) {
        if (artifactUri == null || !artifactUri.startsWith(SCHEME)) return Optional.empty();
        String rest = artifactUri.substring(SCHEME.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        while (rest.startsWith("/")) rest = rest.substring(1);
        while (rest.endsWith("/")) rest = rest.substring(0, rest.length() - 1);
        return Optional.of(rest);
    }

    /** The URL of one artifact: base + API + root + path, each path segment percent-encoded. */
    static String url(String baseUrl, String root, String artifactPath) {
        StringBuilder b = new StringBuilder(baseUrl).append(API).append(encodePath(root));
        if (!artifactPath.isEmpty()) b.append('/').append(encodePath(artifactPath));
        return b.toString();
    }

    private static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) continue;
            if (!b.isEmpty()) b.append('/');
            b.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }
}
