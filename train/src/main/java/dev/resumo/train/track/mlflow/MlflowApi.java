package dev.resumo.train.track.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;

/**
 * The calls Resumo makes to a tracking server, each bounded in time.
 *
 * <p>Runs, params, metrics, tags and the Model Registry go through the official
 * {@code org.mlflow:mlflow-client}. Its HTTP client has no connect or read timeout, so every call
 * runs on a helper thread and is abandoned after {@link MlflowSettings#callTimeout}: the client is
 * then closed (which closes its sockets and frees the thread) and a fresh one is made.
 * Artifacts go up through the server's proxied artifact API with java.net.http (the official
 * client's logArtifact shells out to Python), streamed from disk.
 *
 * <p>Used by one thread at a time (the {@link MlflowSender}).
 */
final class MlflowApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The HTTP client shaded into mlflow-client logs every retry at INFO through java.util.logging
     * (to stderr); Resumo reports server problems itself, once per outage. Held here: JUL keeps
     * loggers only weakly, and a collected logger would forget its level.
     */
    private static final java.util.logging.Logger SHADED_LIBRARIES_LOG = quiet("org.mlflow_project");
    /** Uploads get callTimeout plus one second per MiB: a slow link still finishes a large model file. */
    private static final long UPLOAD_BYTES_PER_SECOND = 1 << 20;

    private final MlflowSettings settings;
    private final HttpClient http;
    private MlflowClient client;
    private ExecutorService caller;

    MlflowApi(MlflowSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.callTimeout())
                .build();
        this.client = newClient();
        this.caller = newCaller();
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(name);
        log.setLevel(java.util.logging.Level.OFF);
        return log;
    }

    private MlflowClient newClient() {
        return new MlflowClient(settings.credentials().hostCreds(settings.baseUrl()));
    }

    private static ExecutorService newCaller() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "resumo-mlflow-call");
            t.setDaemon(true);
            return t;
        });
    }

    // ---- tracking ----

    /** The experiment's id, creating the experiment when there is none of that name. */
    String experimentId(String name) throws MlflowCallException {
        Optional<Experiment> found = call("find experiment " + name, () -> client.getExperimentByName(name));
        if (found.isPresent()) {
            Experiment e = found.get();
            if ("deleted".equals(e.getLifecycleStage())) {
                throw new MlflowCallException("experiment '" + name + "' is deleted on the server; restore it or choose another "
                        + "--experiment-name", false, null);
            }
            return e.getExperimentId();
        }
        try {
            return call("create experiment " + name, () -> client.createExperiment(name));
        } catch (MlflowCallException e) {
            // Another run may have created it in between.
            Optional<Experiment> again = call("find experiment " + name, () -> client.getExperimentByName(name));
            if (again.isPresent()) return again.get().getExperimentId();
            throw e;
        }
    }

    RunInfo createRun(String experimentId, String runName, long startTimeMillis, Iterable<RunTag> tags) throws MlflowCallException {
        CreateRun.Builder b = CreateRun.newBuilder().setExperimentId(experimentId).setStartTime(startTimeMillis).addAllTags(tags);
        if (runName != null) b.setRunName(runName);
        // The run's user_id (the UI's "User" column, search's `attributes.user_id`) is the
        // mlflow.user tag, as MLflow's Python client sets it; without it the server stores "".
        for (RunTag t : tags) {
            if (RunTags.USER.equals(t.getKey())) b.setUserId(t.getValue());
        }
        CreateRun request = b.build();
        return call("create run", () -> client.createRun(request));
    }

    /**
     * The run carrying a tag value, if one exists: after a create-run call that timed out, the
     * server may have created the run anyway; looking it up first avoids a second run.
     */
    Optional<RunInfo> findRunByTag(String experimentId, String key, String value) throws MlflowCallException {
        String filter = "tags.`" + key + "` = '" + value + "'";
        List<Run> runs = call("search runs", () -> client.searchRuns(List.of(experimentId), filter, ViewType.ALL, 1).getItems());
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.getFirst().getInfo());
    }

    Run getRun(String runId) throws MlflowCallException {
        return call("get run " + runId, () -> client.getRun(runId));
    }

    void logBatch(String runId, LogBatch batch) throws MlflowCallException {
        call("log " + batch.metrics().size() + " metrics, " + batch.params().size() + " params, " + batch.tags().size() + " tags",
                () -> {
                    client.logBatch(runId, batch.metrics(), batch.params(), batch.tags());
                    return null;
                });
    }

    /** Marks a resumed run RUNNING again (its end time is cleared by the next terminal status). */
    void markRunning(String runId) throws MlflowCallException {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId).put("status", "RUNNING");
        call("mark run " + runId + " RUNNING", () -> client.sendPost("runs/update", body.toString()));
    }

    void terminate(String runId, RunStatus status, long endTimeMillis) throws MlflowCallException {
        call("set run " + runId + " " + status, () -> {
            client.setTerminated(runId, status, endTimeMillis);
            return null;
        });
    }

    /**
     * Creates the registered model if needed and a new version of it from source; returns the version number.
     *
     * @param tags include {@link RunTags#RUN_KEY}: on a retry (retry = true) a version of this run
     *             with the same key is the one the unanswered attempt made, and is not made twice
     */
    String registerModelVersion(String name, String source, String runId, String description, Map<String, String> tags,
                                boolean retry) throws MlflowCallException {
        if (retry) {
            Optional<String> existing = versionOfRun(name, runId, tags.get(RunTags.RUN_KEY));
            if (existing.isPresent()) return existing.get();
        }
        try {
            call("create registered model " + name,
                    () -> client.sendPost("registered-models/create", JSON.createObjectNode().put("name", name).toString()));
        } catch (MlflowCallException e) {
            if (!(e.getCause() instanceof MlflowHttpException h && h.getBodyMessage() != null
                    && h.getBodyMessage().contains("RESOURCE_ALREADY_EXISTS"))) {
                throw e;
            }
        }
        ObjectNode body = JSON.createObjectNode().put("name", name).put("source", source).put("run_id", runId)
                .put("description", description);
        ArrayNode tagArray = body.putArray("tags");
        tags.forEach((k, v) -> tagArray.addObject().put("key", k).put("value", MlflowLimits.fit(v, MlflowLimits.REGISTRY_TAG_VALUE_LENGTH)));
        String answer = call("create a version of " + name, () -> client.sendPost("model-versions/create", body.toString()));
        try {
            return JSON.readTree(answer).path("model_version").path("version").asText();
        } catch (IOException e) {
            throw new MlflowCallException("unreadable answer to model-versions/create: " + answer, false, e);
        }
    }

    private Optional<String> versionOfRun(String name, String runId, String runKey) throws MlflowCallException {
        String filter = "name='" + name.replace("'", "\\'") + "' and run_id='" + runId + "'";
        List<ModelVersion> found = call("search versions of " + name,
                () -> client.searchModelVersions(filter, 1000, List.of()).getItems());
        return found.stream()
                .filter(v -> v.getTagsList().stream().anyMatch(t -> t.getKey().equals(RunTags.RUN_KEY) && t.getValue().equals(runKey)))
                .map(ModelVersion::getVersion).findFirst();
    }

    // ---- artifacts ----

    /** PUTs one file under the run's proxied artifact root, streamed from disk. */
    void upload(String artifactRoot, Path file, String artifactPath) throws MlflowCallException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new MlflowCallException("cannot read artifact " + file + ": " + e.getMessage(), false, e);
        }
        Duration timeout = settings.callTimeout().plusSeconds(size / UPLOAD_BYTES_PER_SECOND);
        String url = ArtifactLocation.url(settings.baseUrl(), artifactRoot, artifactPath);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/octet-stream");
        settings.credentials().authorizationHeader().ifPresent(h -> b.header("Authorization", h));
        HttpRequest request;
        try {
            request = b.PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        } catch (IOException e) {
            throw new MlflowCallException("cannot read artifact " + file + ": " + e.getMessage(), false, e);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new MlflowCallException("upload of " + artifactPath + " timed out after " + timeout.toSeconds() + " s", true, e);
        } catch (IOException e) {
            throw new MlflowCallException("upload of " + artifactPath + " failed: " + describe(e), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlflowCallException("upload of " + artifactPath + " interrupted", true, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new MlflowCallException("upload of " + artifactPath + " refused: HTTP " + status + " " + abbreviate(response.body())
                    + settings.credentials().refusedHint(status), MlflowCallException.transientStatus(status), null);
        }
    }

    // ---- the time limit ----

    private <T> T call(String what, Callable<T> body) throws MlflowCallException {
        Future<T> f = caller.submit(body);
        try {
            return f.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(f);
            throw new MlflowCallException(what + ": no answer within " + settings.callTimeout().toMillis() + " ms", true, e);
        } catch (InterruptedException e) {
            abandon(f);
            Thread.currentThread().interrupt();
            throw new MlflowCallException(what + ": interrupted", true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MlflowHttpException h) {
                throw new MlflowCallException(what + ": HTTP " + h.getStatusCode() + " " + abbreviate(h.getBodyMessage())
                        + settings.credentials().refusedHint(h.getStatusCode()), MlflowCallException.transientStatus(h.getStatusCode()), h);
            }
            if (cause instanceof MlflowClientException c) {
                // The client wraps I/O failures (refused, reset) in its own exception.
                throw new MlflowCallException(what + ": " + describe(c), true, c);
            }
            throw new MlflowCallException(what + ": " + describe(cause), false, cause);
        }
    }

    /** A call that will not answer: close the client (and its sockets) so its thread is freed, and start afresh. */
    private void abandon(Future<?> f) {
        f.cancel(true);
        MlflowClient stuck = client;
        client = newClient();
        ExecutorService old = caller;
        caller = newCaller();
        try {
            stuck.close();
        } catch (RuntimeException ignored) {
            // Closing a client whose connection is already broken may complain; it is discarded either way.
        }
        old.shutdownNow();
    }

    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String abbreviate(String s) {
        if (s == null) return "";
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= 300 ? one : one.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException ignored) {
            // Nothing more to do with a client being discarded.
        }
        caller.shutdownNow();
        http.close();
    }
}
