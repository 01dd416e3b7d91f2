package dev.resumo.train.track.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * What MLflow's clients read from MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME /
 * MLFLOW_TRACKING_PASSWORD. Sent on every request; {@link #toString} never shows a secret, so a
 * settings object can be printed or logged safely.
 */
public final class MlflowCredentials {
    public static final MlflowCredentials NONE = new MlflowCredentials(null, null, null);

    private final String token;
    private final String username;
    private final String password;

    private MlflowCredentials(String token, String username, String password) {
        this.token = token;
        this.username = username;
        this.password = password;
    }

    /** A bearer token (MLFLOW_TRACKING_TOKEN). */
    public static MlflowCredentials token(String token) {
        return new MlflowCredentials(token, null, null);
    }

    /** HTTP basic authentication (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD). */
    public static MlflowCredentials basic(String username, String password) {
        return new MlflowCredentials(null, username, password == null ? "" : password);
    }

    /** The token wins when both kinds are set, as in MLflow's Python client. */
    public static MlflowCredentials fromEnvironment(Map<String, String> env) {
        String token = nonBlank(env.get("MLFLOW_TRACKING_TOKEN"));
        if (token != null) return token(token);
        String user = nonBlank(env.get("MLFLOW_TRACKING_USERNAME"));
        if (user != null) return basic(user, env.get("MLFLOW_TRACKING_PASSWORD"));
        return NONE;
    }

    /** The Authorization header value, when there are credentials. */
    public Optional<String> authorizationHeader() {
        if (token != null) return Optional.of("Bearer " + token);
        if (username != null) {
            String pair = username + ":" + password;
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    /** The official client's view of the same credentials, for a host. */
    BasicMlflowHostCreds hostCreds(String host) {
        if (token != null) return new BasicMlflowHostCreds(host, token);
        if (username != null) return new BasicMlflowHostCreds(host, username, password);
        return new BasicMlflowHostCreds(host);
    }

    /**
     * What to check when the server answers 401 (not authenticated) or 403 (no permission), naming
     * the settings the credentials come from; empty for other statuses. MLflow's own message only
     * points at its documentation, which left a user guessing which variable was wrong or missing.
     */
    public String refusedHint(int httpStatus) {
        if (httpStatus == 401) {
            if (token != null) return "; the server did not accept the token of MLFLOW_TRACKING_TOKEN";
            if (username != null) {
                return "; the server did not accept user " + username + " with MLFLOW_TRACKING_PASSWORD (MLFLOW_TRACKING_USERNAME / "
                        + "MLFLOW_TRACKING_PASSWORD)";
            }
            return "; the server asks for credentials: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or "
                    + "MLFLOW_TRACKING_TOKEN";
        }
        if (httpStatus == 403) {
            String who = token != null ? "the user of MLFLOW_TRACKING_TOKEN" : username != null ? "user " + username
                    + " (MLFLOW_TRACKING_USERNAME)" : "an anonymous user (no MLFLOW_TRACKING_USERNAME or MLFLOW_TRACKING_TOKEN set)";
            return "; " + who + " lacks the permission for this on the server";
        }
        return "";
    }

    /** Which kind is in use, never the values. */
    @Override
    public String toString() {
        if (token != null) return "token (hidden)";
        if (username != null) return "user " + username + ", password (hidden)";
        return "none";
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
