package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with authentication on (mlflow server --app-name basic-auth) that refuses the request:
 * the warning names the settings to fix. MLflow 2.17's answers are copied here (no server needed):
 * 401 with its "You are not authenticated" text, 403 with "Permission denied".
 */
class MlflowAuthRefusedTest {
    private static final String NOT_AUTHENTICATED = "You are not authenticated. Please see "
            + "https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.";

    /** The warning that tracking is off, from a run against a server that answers every call with status and body. */
    private static String refusal(Path tmp, int status, String body, Map<String, String> env) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(status, b.length);
                ex.getResponseBody().write(b);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            MlflowSettings s = MlflowSettings.resolve(url, "auth", "refused", null, env).orElseThrow()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
            List<String> messages = Collections.synchronizedList(new ArrayList<>());
            MlflowTracker t = new MlflowTracker(s, tmp, TrackedRun.CONTEXT, Map.of(), messages::add, messages::add);
            t.start(Map.of("lr", 0.1));
            t.metrics(1, Map.of("loss", 1.0));
            t.end("FINISHED");
            return messages.stream().filter(m -> m.contains("cannot start the run")).findFirst()
                    .orElseThrow(() -> new AssertionError("no refusal warning: " + messages));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void noCredentialsNamesTheVariablesToSet(@TempDir Path tmp) throws Exception {
        String w = refusal(tmp, 401, NOT_AUTHENTICATED, Map.of());
        assertTrue(w.contains("HTTP 401") && w.contains("set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or "
                + "MLFLOW_TRACKING_TOKEN"), w);
        assertFalse(w.contains("\n"), "one line: " + w);
    }

    @Test
    void refusedUserAndPasswordNameTheUserNotThePassword(@TempDir Path tmp) throws Exception {
        String w = refusal(tmp, 401, NOT_AUTHENTICATED,
                Map.of("MLFLOW_TRACKING_USERNAME", "ana", "MLFLOW_TRACKING_PASSWORD", "s3cret-pw"));
        assertTrue(w.contains("did not accept user ana") && w.contains("MLFLOW_TRACKING_PASSWORD"), w);
        assertFalse(w.contains("s3cret-pw"), "the password is never shown: " + w);
    }

    @Test
    void aRefusedTokenNamesItsVariable(@TempDir Path tmp) throws Exception {
        String w = refusal(tmp, 401, NOT_AUTHENTICATED, Map.of("MLFLOW_TRACKING_TOKEN", "tok-123456"));
        assertTrue(w.contains("did not accept the token of MLFLOW_TRACKING_TOKEN"), w);
        assertFalse(w.contains("tok-123456"), "the token is never shown: " + w);
    }

    @Test
    void aUserWithoutPermissionIsNamed(@TempDir Path tmp) throws Exception {
        String w = refusal(tmp, 403, "Permission denied",
                Map.of("MLFLOW_TRACKING_USERNAME", "ana", "MLFLOW_TRACKING_PASSWORD", "pw"));
        assertTrue(w.contains("HTTP 403") && w.contains("user ana (MLFLOW_TRACKING_USERNAME) lacks the permission"), w);
    }
}
