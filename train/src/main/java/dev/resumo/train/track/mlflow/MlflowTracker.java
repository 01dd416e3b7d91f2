package dev.resumo.train.track.mlflow;

import dev.resumo.train.track.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunStatus;

/**
 * Tracks a run in an MLflow tracking server: the resolved config as params, every metric with its
 * step and time, tags about the run, the run directory's artifacts, the final status, and
 * optionally a Model Registry version.
 *
 * <p>Training never waits on the server: calls only queue work for a background sender (see
 * {@link MlflowSender}), and {@link #end} waits at most {@link MlflowSettings#flushTimeout} for it,
 * then says exactly what did not reach the server. Nothing here throws because MLflow is down.
 */
public final class MlflowTracker implements Tracker {
    /** Files of the run directory uploaded at the end when they exist (the model comes via {@link #artifacts}). */
    public static final List<String> RUN_FILES = List.of(
            "config.json", "metrics.jsonl", "rejected.jsonl", "evaluation.json", "predictions.jsonl", "run.json");

    private final MlflowSettings settings;
    private final Path runDir;
    private final RunContext context;
    private final Map<String, String> env;
    private final Consumer<String> info;
    private final Consumer<String> warn;
    private final Outbox outbox;
    private final MlflowApi api;
    private final MlflowSender sender;
    private final Set<String> uploaded = new LinkedHashSet<>();
    /** Unique to this start: finds what a call made even when its answer was lost (see {@link Outgoing.OpenRun}). */
    private final String runKey = java.util.UUID.randomUUID().toString();
    private String bestMetric = "eval_loss";
    private Thread shutdownHook;
    private boolean started;
    private boolean ended;
    private boolean modelUploaded;
    /** Set by {@link #stopWaiting} from another thread. */
    private volatile boolean stopWaiting;
    /** How often the end's wait for the sender looks whether it was asked to stop waiting. */
    private static final long WAIT_SLICE_MILLIS = 100;

    /**
     * @param env the environment (for RESUMO_GIT_COMMIT)
     * @param info where the run's address is printed
     * @param warn where outages, losses and refusals are reported (any thread)
     */
    public MlflowTracker(MlflowSettings settings, Path runDir, RunContext context, Map<String, String> env,
                         Consumer<String> info, Consumer<String> warn) {
        this.settings = settings;
        this.runDir = runDir.toAbsolutePath().normalize();
        this.context = context;
        this.env = Map.copyOf(env);
        this.info = info;
        this.warn = warn;
        this.outbox = new Outbox(settings.bufferCapacity());
        this.api = new MlflowApi(settings);
        this.sender = new MlflowSender(api, settings, outbox, info, warn, this::opened);
    }

    @Override
    public synchronized void start(Map<String, Object> params) {
        if (started) throw new IllegalStateException("the tracker was started already");
        started = true;
        String resumeRunId = null;
        if (params.get("resume") != null) {
            var previous = MlflowRunFile.read(runDir);
            if (previous.isPresent() && sameServer(previous.get().trackingUri())) resumeRunId = previous.get().runId();
        }
        Object best = params.get("best-metric");
        if (best != null) bestMetric = best.toString();
        // Read now, before this training logs anything: what metrics.jsonl holds up to here is the earlier training's.
        Path metricsFile = runDir.resolve("metrics.jsonl");
        long localLastStep = resumeRunId == null ? -1 : ResumedMetrics.lastStep(metricsFile);
        outbox.add(new Outgoing.OpenRun(System.currentTimeMillis(), ParamFlattener.flatten(params),
                RunTags.atStart(context, env), resumeRunId, runKey, metricsFile, localLastStep));
        sender.start();
        shutdownHook = new Thread(this::endAtShutdown, "resumo-mlflow-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private boolean sameServer(String uri) {
        return uri.replaceAll("/+$", "").equals(settings.baseUrl());
    }

    @Override
    public synchronized void metrics(long step, Map<String, Double> metrics) {
        if (ended) return;
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (e.getValue() == null) continue;
            Metric m = Metric.newBuilder().setKey(e.getKey()).setValue(e.getValue()).setStep(step).setTimestamp(now).build();
            outbox.add(new Outgoing.MetricValue(m));
        }
    }

    /** A file, or a directory's files, uploaded under their path relative to the run directory. */
    @Override
    public synchronized void artifacts(Path path) throws IOException {
        if (ended) return;
        Path p = path.toAbsolutePath().normalize();
        Path base = p.startsWith(runDir) ? runDir : p.getParent();
        if (Files.isDirectory(p)) {
            try (Stream<Path> files = Files.walk(p)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) upload(f, base);
            }
        } else if (Files.isRegularFile(p)) {
            upload(p, base);
        } else {
            warn.accept("MLflow: artifact " + p + " does not exist; not uploaded");
            return;
        }
        if (p.equals(runDir.resolve("model"))) modelUploaded = true;
    }

    private void upload(Path file, Path base) {
        String artifactPath = base.relativize(file).toString().replace('\\', '/');
        uploaded.add(artifactPath);
        outbox.add(new Outgoing.Upload(file, artifactPath));
    }

    @Override
    public void end(String status) {
        end(status, null);
    }

    /**
     * Uploads the run directory's files, registers the model if asked, sets the run's status
     * (FINISHED / FAILED / KILLED) and waits for the sender, at most the flush timeout.
     */
    @Override
    public void end(String status, String reason) {
        finish(status, reason, settings.flushTimeout().toMillis());
    }

    private void finish(String status, String reason, long flushMillis) {
        synchronized (this) {
            if (ended || !started) return;
            ended = true;
            List<org.mlflow.api.proto.Service.RunTag> tags = new ArrayList<>();
            tags.add(RunTags.tag(RunTags.STATUS, status));
            if (reason != null) tags.add(RunTags.tag(RunTags.ERROR, reason));
            outbox.add(new Outgoing.Tags(tags));
            for (String name : RUN_FILES) {
                Path f = runDir.resolve(name);
                if (!uploaded.contains(name) && Files.isRegularFile(f)) upload(f, runDir);
            }
            RunStatus mlflowStatus = mlflowStatus(status);
            if (settings.registerModel() != null) {
                if (mlflowStatus == RunStatus.FINISHED && modelUploaded) {
                    RegistryNotes notes = RegistryNotes.of(runDir.resolve("evaluation.json"), bestMetric, settings.runName());
                    outbox.add(new Outgoing.Register(settings.registerModel(), "model", notes.description(), notes.tags(),
                            runKey));
                } else {
                    warn.accept("MLflow: --register-model " + settings.registerModel() + " skipped: the run ended " + status
                            + (modelUploaded ? "" : " without a final model"));
                }
            }
            outbox.add(new Outgoing.Terminate(mlflowStatus, System.currentTimeMillis()));
            outbox.close();
        }
        flush(flushMillis);
        removeShutdownHook();
    }

    /** FINISHED and EARLY_STOPPED finished; INTERRUPTED (SIGTERM/SIGINT) was killed; FAILED failed. */
    static RunStatus mlflowStatus(String status) {
        return switch (status) {
            case "FINISHED", "EARLY_STOPPED" -> RunStatus.FINISHED;
            case "INTERRUPTED", "KILLED" -> RunStatus.KILLED;
            case "FAILED" -> RunStatus.FAILED;
            default -> throw new IllegalArgumentException("unknown run status " + status);
        };
    }

    /** Asked (Ctrl-C) while {@link #flush} waits: it stops waiting at its next look, within {@link #WAIT_SLICE_MILLIS}. */
    @Override
    public void stopWaiting() {
        stopWaiting = true;
    }

    /**
     * The end's wait for a server that has not answered once in the whole run. The full wait
     * (--mlflow flush timeout, 60 s by default) is for a server that went away for a while; one
     * that was unreachable from the start (a wrong port, a server not started) added a minute to
     * every run, a one-step try included, for little chance of it appearing in the last seconds.
     */
    static final long NEVER_REACHED_FLUSH_MILLIS = 10_000;

    private void flush(long millis) {
        if (!sender.reachedServer() && millis > NEVER_REACHED_FLUSH_MILLIS) {
            info.accept("MLflow: " + settings.baseUrl() + " has not answered during this run; waiting at most "
                    + NEVER_REACHED_FLUSH_MILLIS / 1000 + " s for it");
            millis = NEVER_REACHED_FLUSH_MILLIS;
        }
        boolean drained = false;
        long startNanos = System.nanoTime();
        try {
            if (!outbox.isEmpty() && outbox.metricValues() > 0 && millis > 0) {
                info.accept("MLflow: sending the last " + outbox.metricValues() + " buffered metric values (at most "
                        + millis / 1000.0 + " s; Ctrl-C stops waiting)...");
            }
            long deadline = startNanos + millis * 1_000_000;
            do {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                drained = sender.awaitDrained(Math.min(WAIT_SLICE_MILLIS, left));
            } while (!drained && !stopWaiting && System.nanoTime() < deadline);
            if (!drained) sender.abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        Undelivered dropped = outbox.dropped();
        Undelivered refused = sender.refused();
        List<Outgoing> pending = outbox.pending();
        if (!dropped.isEmpty()) {
            warn.accept("MLflow: the buffer was full (" + settings.bufferCapacity() + " values) while the server was away; lost: "
                    + dropped + " (they are in " + runDir.resolve("metrics.jsonl") + ")");
        }
        if (!refused.isEmpty()) {
            warn.accept("MLflow: not recorded on the server: " + refused);
        }
        if (!drained || !pending.isEmpty()) {
            Undelivered left = new Undelivered();
            left.addAll(pending);
            String why = stopWaiting
                    ? String.format("stopped waiting for %s when asked, after %.1f s", settings.baseUrl(), (System.nanoTime() - startNanos) / 1e9)
                    : "gave up after " + millis / 1000.0 + " s waiting for " + settings.baseUrl();
            warn.accept("MLflow: " + why + "; not delivered: " + left + ". The run directory " + runDir + " has all of it.");
        }
        api.close();
    }

    private void opened(String experimentId, String runId) {
        String url = settings.baseUrl() + "/#/experiments/" + experimentId + "/runs/" + runId;
        try {
            MlflowRunFile.write(runDir, new MlflowRunFile.Entry(settings.baseUrl(), experimentId, runId, url));
        } catch (IOException e) {
            warn.accept("MLflow: cannot write " + runDir.resolve(MlflowRunFile.NAME) + " (" + e.getMessage()
                    + "); a resumed training will start a new MLflow run");
        }
        info.accept("MLflow: tracking run " + runId + " at " + url);
    }

    /** The JVM is going down without the run having ended (a signal no one handled): the run was killed. */
    private void endAtShutdown() {
        synchronized (this) {
            if (ended) return;
        }
        shutdownHook = null;
        // A shutdown should not hang on a slow server: wait less than at a normal end.
        finish("KILLED", "the JVM shut down before the run ended", Math.min(settings.flushTimeout().toMillis(), 10_000));
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        shutdownHook = null;
        if (hook == null || hook == Thread.currentThread()) return;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook finds the run ended and returns.
        }
    }

    /** The run id once the server created the run (null before, or when it could not be created). */
    public String runId() {
        return sender.runId();
    }
}
