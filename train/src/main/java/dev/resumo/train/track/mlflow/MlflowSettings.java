package dev.resumo.train.track.mlflow;

import dev.resumo.train.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how a run is tracked in MLflow. Resolved once at start from the flags and the
 * environment; {@link #toString} hides the credentials.
 *
 * @param trackingUri the server, http(s) only (the Java client refuses other schemes)
 * @param experimentName picked, or created when missing
 * @param runName null lets MLflow name the run
 * @param registerModel null: no Model Registry entry
 * @param callTimeout limit on every single HTTP call (connect + answer); artifact uploads get more per megabyte
 * @param flushTimeout how long the end of a run waits for buffered work to reach the server
 * @param bufferCapacity metric values kept while the server is unreachable; older ones are dropped past it
 */
public record MlflowSettings(
        URI trackingUri,
        String experimentName,
        String runName,
        String registerModel,
        MlflowCredentials credentials,
        Duration callTimeout,
        Duration flushTimeout,
        int bufferCapacity) {

    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_BUFFER_CAPACITY = 200_000;

    public MlflowSettings {
        if (experimentName == null || experimentName.isBlank()) throw new ConfigException("--experiment-name must not be empty");
        int length = experimentName.codePointCount(0, experimentName.length());
        if (length > MlflowLimits.EXPERIMENT_NAME_LENGTH) {
            // Refused here, not by the server once training runs (where it only turned tracking off with a warning).
            throw new ConfigException("--experiment-name is " + length + " characters long; MLflow allows at most "
                    + MlflowLimits.EXPERIMENT_NAME_LENGTH);
        }
        if (credentials == null) credentials = MlflowCredentials.NONE;
        if (callTimeout.isNegative() || callTimeout.isZero()) throw new IllegalArgumentException("callTimeout must be positive");
        if (flushTimeout.isNegative()) throw new IllegalArgumentException("flushTimeout must be ≥ 0");
        if (bufferCapacity < 1) throw new IllegalArgumentException("bufferCapacity must be ≥ 1");
        if (runName != null && runName.isBlank()) runName = null;
        if (registerModel != null && registerModel.isBlank()) {
            throw new ConfigException("--register-model must name the registered model, got an empty name");
        }
    }

    /**
     * MLflow settings when a server is named by --tracking-uri (first) or MLFLOW_TRACKING_URI;
     * empty when neither is set (the run is then tracked only in its run directory).
     */
    public static Optional<MlflowSettings> resolve(String trackingUriFlag, String experimentName, String runName,
                                                   String registerModel, Map<String, String> env) {
        String flag = trackingUriFlag == null || trackingUriFlag.isBlank() ? null : trackingUriFlag.trim();
        String fromEnv = env.get("MLFLOW_TRACKING_URI");
        String source = flag != null ? "--tracking-uri" : "MLFLOW_TRACKING_URI";
        String uri = flag != null ? flag : (fromEnv == null || fromEnv.isBlank() ? null : fromEnv.trim());
        if (uri == null) {
            if (registerModel != null) {
                throw new ConfigException("--register-model " + registerModel + " needs an MLflow server: set --tracking-uri or MLFLOW_TRACKING_URI");
            }
            return Optional.empty();
        }
        return Optional.of(new MlflowSettings(parseUri(source, uri), experimentName, runName, registerModel,
                MlflowCredentials.fromEnvironment(env), DEFAULT_CALL_TIMEOUT, DEFAULT_FLUSH_TIMEOUT, DEFAULT_BUFFER_CAPACITY));
    }

    /** These settings with other time limits (tests; impatient callers). */
    public MlflowSettings withTimeouts(Duration call, Duration flush) {
        return new MlflowSettings(trackingUri, experimentName, runName, registerModel, credentials, call, flush, bufferCapacity);
    }

    public MlflowSettings withBufferCapacity(int capacity) {
        return new MlflowSettings(trackingUri, experimentName, runName, registerModel, credentials, callTimeout, flushTimeout, capacity);
    }

    /** The server's base URL without a trailing slash, e.g. http://127.0.0.1:5000. */
    public String baseUrl() {
        String s = trackingUri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Refuses an address that cannot name a tracking server, naming where it came from (a flag or variable). */
    public static void checkTrackingUri(String source, String address) {
        parseUri(source, address);
    }

    static URI parseUri(String source, String address) {
        String text = masked(address);
        if (address.strip().matches("[^/:@\\s]+:[0-9]+(/.*)?")) {
            // host:port alone (127.0.0.1:5000, localhost:5000) reads as a bad scheme; say what to write instead.
            throw new ConfigException(source + " '" + text + "' has no scheme; write http://" + text.strip()
                    + " (an http:// or https:// address of an MLflow tracking server)");
        }
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            throw new ConfigException(source + " '" + text + "' is not a valid URI: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(source + " '" + text + "' must be an http:// or https:// address of an MLflow tracking server "
                    + "(start one with bin/mlflow-up; file and databricks URIs are not supported)");
        }
        if (uri.getHost() == null) throw new ConfigException(source + " '" + text + "' has no host");
        if (uri.getUserInfo() != null) {
            throw new ConfigException(source + " '" + text + "' must not carry a user or password; use MLFLOW_TRACKING_USERNAME / "
                    + "MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN");
        }
        return uri;
    }

    /** The address as it may be shown: a user:password@ part is replaced by ***@. */
    private static String masked(String address) {
        return address.replaceAll("//[^/@]*@", "//***@");
    }

    @Override
    public String toString() {
        return "MLflow " + baseUrl() + " (experiment " + experimentName + (runName == null ? "" : ", run " + runName)
                + (registerModel == null ? "" : ", register " + registerModel) + ", credentials " + credentials + ")";
    }
}
