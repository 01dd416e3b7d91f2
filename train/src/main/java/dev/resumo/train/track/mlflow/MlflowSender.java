package dev.resumo.train.track.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;

/**
 * The background thread that talks to the tracking server, so that training never waits on it.
 * It sends the {@link Outbox} in order; a call that fails for a passing reason (server down, slow,
 * 5xx) is retried with exponential backoff, a call the server refuses for good is dropped with a
 * warning. Outages are announced once when they start and once when they end.
 */
final class MlflowSender implements Runnable {
    private static final long FIRST_BACKOFF_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 15_000;

    /** Called once the run exists on the server: (experiment id, run id). */
    interface RunOpened {
        void opened(String experimentId, String runId);
    }

    private final MlflowApi api;
    private final MlflowSettings settings;
    private final Outbox outbox;
    private final Consumer<String> info;
    private final Consumer<String> warn;
    private final RunOpened onOpened;
    private final Thread thread;
    private final Undelivered refused = new Undelivered();
    private volatile boolean reached;

    // Run state, owned by the sender thread; volatile for the final report.
    private volatile String experimentId;
    private volatile String runId;
    private volatile String artifactRoot;
    private volatile boolean disabled;
    private volatile boolean aborted;
    private boolean paramsLogged;
    private boolean createAttempted;
    private boolean registerAttempted;
    private ResumedParams resumed;
    /** Set when a run is resumed: its steps already on the server are not sent again. */
    private ResumedMetrics resumedMetrics;
    private boolean backfilled;
    private long skippedOnServer;
    private boolean warnedNoProxy;
    /** The param or tag whose refusal stopped {@link #open} after the run existed, for the warning. */
    private String refusedAtOpen;

    private long outageStartNanos = -1;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;

    MlflowSender(MlflowApi api, MlflowSettings settings, Outbox outbox, Consumer<String> info, Consumer<String> warn,
                 RunOpened onOpened) {
        this.api = api;
        this.settings = settings;
        this.outbox = outbox;
        this.info = info;
        this.warn = warn;
        this.onOpened = onOpened;
        this.thread = new Thread(this, "resumo-mlflow-sender");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String runId() {
        return runId;
    }

    /** Waits until everything queued before {@link Outbox#close} is sent, at most millis; true when it was. */
    boolean awaitDrained(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    /** Gives up on what is left (the run's end waited long enough). */
    void abort() throws InterruptedException {
        aborted = true;
        thread.interrupt();
        thread.join(settings.callTimeout().toMillis() + 1000);
    }

    /** What the server refused for good (or could not take: no run, no artifact proxy). */
    /** Whether the server has accepted anything in this run (false while it has been unreachable from the start). */
    boolean reachedServer() {
        return reached;
    }

    Undelivered refused() {
        synchronized (refused) {
            return refused.copy();
        }
    }

    @Override
    public void run() {
        try {
            while (!aborted) {
                List<Outgoing> items = outbox.next(MlflowLimits.METRICS_PER_BATCH);
                if (items.isEmpty()) return; // closed and drained
                if (disabled) {
                    refuse(items);
                    continue;
                }
                try {
                    // Counted before this delivery leaves the outbox: the recovery message names what
                    // was buffered, this first batch included (it said 0 when one batch held them all).
                    int buffered = outageStartNanos >= 0 ? outbox.metricValues() : 0;
                    deliver(items);
                    reached = true;
                    outbox.remove(items);
                    recovered(buffered);
                } catch (MlflowCallException e) {
                    if (aborted) return;
                    if (e.isTransient()) {
                        outbox.keep();
                        unreachable(e);
                        outbox.pause(backoffMillis);
                        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
                    } else {
                        refusedForGood(items, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            // abort(): the run's end stopped waiting; what is left is reported from the outbox.
        }
    }

    private void deliver(List<Outgoing> items) throws MlflowCallException {
        Outgoing first = items.getFirst();
        if (!(first instanceof Outgoing.OpenRun) && runId == null) {
            // Nothing can be sent before the run exists (its creation was refused: disabled is set).
            throw new MlflowCallException("no run", false, null);
        }
        switch (first) {
            case Outgoing.OpenRun o -> open(o);
            case Outgoing.MetricValue m -> logMetrics(Outbox.metrics(items));
            case Outgoing.Tags t -> {
                for (LogBatch b : LogBatch.split(List.of(), List.of(), t.tags())) api.logBatch(runId, b);
            }
            case Outgoing.Upload u -> upload(u);
            case Outgoing.Register r -> register(r);
            case Outgoing.Terminate t -> {
                api.terminate(runId, t.status(), t.endMillis());
                info.accept("MLflow: run " + runId + " " + t.status() + " (" + settings.baseUrl() + "/#/experiments/" + experimentId
                        + "/runs/" + runId + ")");
            }
        }
    }

    private void open(Outgoing.OpenRun o) throws MlflowCallException {
        if (experimentId == null) experimentId = api.experimentId(settings.experimentName());
        Map<String, String> params = o.params();
        if (runId == null) {
            resumed = null;
            resumedMetrics = null;
            RunInfo info = null;
            if (o.resumeRunId() != null) {
                Optional<Run> previous = previousRun(o.resumeRunId());
                if (previous.isPresent()) {
                    api.markRunning(o.resumeRunId());
                    info = previous.get().getInfo();
                    resumed = ResumedParams.of(previous.get(), params);
                    resumedMetrics = ResumedMetrics.of(previous.get());
                }
            }
            if (info == null) info = create(o);
            runId = info.getRunId();
            // The server answered, whatever it says of the params next (the end's wait said "has not answered").
            reached = true;
            artifactRoot = ArtifactLocation.proxiedRoot(info.getArtifactUri()).orElse(null);
            onOpened.opened(experimentId, runId);
        }
        if (!paramsLogged) {
            List<Param> list = new ArrayList<>();
            List<RunTag> tags = new ArrayList<>();
            if (resumed == null) {
                params.forEach((k, v) -> list.add(Param.newBuilder().setKey(k).setValue(v).build()));
            } else {
                // MLflow params cannot change: a resumed run adds the new ones and notes the changed ones in a tag.
                resumed.added().forEach((k, v) -> list.add(Param.newBuilder().setKey(k).setValue(v).build()));
                tags.addAll(o.tags());
                if (!resumed.changed().isEmpty()) {
                    String changed = resumed.describeChanged();
                    warn.accept("MLflow: the resumed run keeps its first value of params that changed (" + changed
                            + "); the new values are in the tag " + ResumedParams.TAG + " and in config.json");
                    tags.add(RunTag.newBuilder().setKey(ResumedParams.TAG)
                            .setValue(MlflowLimits.fit(changed, MlflowLimits.TAG_VALUE_LENGTH)).build());
                }
            }
            for (LogBatch b : LogBatch.split(List.of(), list, tags)) {
                try {
                    api.logBatch(runId, b);
                } catch (MlflowCallException e) {
                    if (!e.isTransient()) refusedAtOpen = RefusedEntity.name(b, e.getMessage());
                    throw e;
                }
            }
            paramsLogged = true;
        }
        if (resumedMetrics != null && !backfilled) {
            // Sent again whole after a failed attempt: the server keeps one copy of a value it already has
            // (same key, step, time and value).
            List<org.mlflow.api.proto.Service.Metric> missing = resumedMetrics.missing(o.metricsFile(), o.localLastStep());
            for (LogBatch b : LogBatch.split(missing, List.of(), List.of())) api.logBatch(runId, b);
            if (!missing.isEmpty()) {
                info.accept("MLflow: sent " + missing.size() + " metric values of the run directory that the resumed run "
                        + runId + " lacked (logged while the server was away before the training stopped)");
            }
            backfilled = true;
        }
    }

    /** Metric values, less those a resumed run already has (the killed training sent them after its last checkpoint). */
    private void logMetrics(List<org.mlflow.api.proto.Service.Metric> metrics) throws MlflowCallException {
        List<org.mlflow.api.proto.Service.Metric> send = metrics;
        if (resumedMetrics != null) {
            send = metrics.stream().filter(m -> !resumedMetrics.onServer(m)).toList();
            if (send.size() < metrics.size() && skippedOnServer == 0) {
                info.accept("MLflow: the resumed run " + runId + " has the steps after the checkpoint from the training that "
                        + "stopped; those values stay, the run directory's metrics.jsonl has this training's");
            }
            skippedOnServer += metrics.size() - send.size();
        }
        if (!send.isEmpty()) api.logBatch(runId, new LogBatch(send, List.of(), List.of()));
    }

    /** Creates the run; after an attempt that got no answer, first looks for the run that attempt may have made. */
    private RunInfo create(Outgoing.OpenRun o) throws MlflowCallException {
        if (createAttempted) {
            Optional<RunInfo> made = api.findRunByTag(experimentId, RunTags.RUN_KEY, o.runKey());
            if (made.isPresent()) return made.get();
        }
        createAttempted = true;
        List<RunTag> tags = new ArrayList<>(o.tags());
        tags.add(RunTags.tag(RunTags.RUN_KEY, o.runKey()));
        return api.createRun(experimentId, settings.runName(), o.startMillis(), tags);
    }

    /** The run being resumed, or empty (with a warning) when the server no longer has it. */
    private Optional<Run> previousRun(String id) throws MlflowCallException {
        try {
            Run run = api.getRun(id);
            if ("deleted".equals(run.getInfo().getLifecycleStage())) {
                warn.accept("MLflow: run " + id + " of the resumed training is deleted on the server; starting a new run");
                return Optional.empty();
            }
            if (!run.getInfo().getExperimentId().equals(experimentId)) {
                warn.accept("MLflow: run " + id + " of the resumed training belongs to another experiment; starting a new run in "
                        + settings.experimentName());
                return Optional.empty();
            }
            return Optional.of(run);
        } catch (MlflowCallException e) {
            if (e.isTransient()) throw e;
            warn.accept("MLflow: run " + id + " of the resumed training is not on " + settings.baseUrl() + " (" + e.getMessage()
                    + "); starting a new run");
            return Optional.empty();
        }
    }

    private void upload(Outgoing.Upload u) throws MlflowCallException {
        if (artifactRoot == null) {
            if (!warnedNoProxy) {
                warnedNoProxy = true;
                warn.accept("MLflow: " + settings.baseUrl() + " does not proxy artifacts (start it with --serve-artifacts, as "
                        + "bin/mlflow-up does); artifacts stay in the run directory only");
            }
            throw new MlflowCallException("the server does not proxy artifacts", false, null);
        }
        api.upload(artifactRoot, u.file(), u.artifactPath());
    }

    private void register(Outgoing.Register r) throws MlflowCallException {
        // Set before the call: a retry must first look for the version this attempt may have made.
        boolean retry = registerAttempted;
        registerAttempted = true;
        if (artifactRoot == null) throw new MlflowCallException("no artifacts on the server to register", false, null);
        String source = "mlflow-artifacts:/" + artifactRoot + "/" + r.artifactPath();
        Map<String, String> tags = new java.util.LinkedHashMap<>(r.tags());
        tags.put(RunTags.RUN_KEY, r.runKey());
        String version = api.registerModelVersion(r.name(), source, runId, r.description(), tags, retry);
        info.accept("MLflow: registered model " + r.name() + " version " + version + " (" + settings.baseUrl() + "/#/models/"
                + r.name() + ")");
    }

    // ---- outages and refusals ----

    private void unreachable(MlflowCallException e) {
        if (outageStartNanos >= 0) return;
        outageStartNanos = System.nanoTime();
        // Never answered yet: most often a wrong address or a server not started, so say where the address comes from.
        String check = reached ? "" : " (not answered yet: check --tracking-uri / MLFLOW_TRACKING_URI, or start the server)";
        warn.accept("MLflow: " + settings.baseUrl() + " is unreachable or failing (" + e.getMessage() + ")" + check
                + "; training goes on, metrics are buffered (up to " + settings.bufferCapacity() + " values) and retried with backoff");
    }

    private void recovered(int buffered) {
        backoffMillis = FIRST_BACKOFF_MILLIS;
        if (outageStartNanos < 0) return;
        double seconds = (System.nanoTime() - outageStartNanos) / 1e9;
        outageStartNanos = -1;
        warn.accept(String.format("MLflow: %s answers again after %.1f s; sending the %d buffered metric values",
                settings.baseUrl(), seconds, buffered));
    }

    private void refusedForGood(List<Outgoing> items, MlflowCallException e) {
        if (items.getFirst() instanceof Outgoing.OpenRun && runId != null) {
            // The run exists (created, or reopened RUNNING for a resume) but its params or tags were refused:
            // with tracking off nothing would ever end it, and it showed RUNNING on the server forever.
            disabled = true;
            warn.accept("MLflow: the server refused " + (refusedAtOpen != null ? refusedAtOpen : "the start of the run")
                    + " of run " + runId + " (" + e.getMessage() + "); " + endRefusedRun(e.getMessage())
                    + ", and tracking to MLflow is off for this run, the run directory has everything");
        } else if (items.getFirst() instanceof Outgoing.OpenRun) {
            disabled = true;
            warn.accept("MLflow: cannot start the run on " + settings.baseUrl() + " (" + e.getMessage() + "); tracking to MLflow "
                    + "is off for this run, the run directory has everything");
        } else if (!(items.getFirst() instanceof Outgoing.Upload && artifactRoot == null)) {
            warn.accept("MLflow: the server refused " + (items.size() == 1 ? items.getFirst().describe() : items.size() + " metric values")
                    + " (" + e.getMessage() + "); dropped");
        }
        refuse(items);
    }

    /**
     * Best effort: the reason as the run's error tag, then the run FAILED. Says what became of the
     * run; a server that refuses these too (or went away) leaves it as it was.
     */
    private String endRefusedRun(String reason) {
        try {
            List<RunTag> why = List.of(RunTags.tag(RunTags.ERROR, "MLflow refused "
                    + (refusedAtOpen != null ? refusedAtOpen : "the start of the run") + ": " + reason));
            api.logBatch(runId, new LogBatch(List.of(), List.of(), why));
        } catch (MlflowCallException tagRefused) {
            // The status below is what matters; the warning has the reason.
        }
        try {
            api.terminate(runId, RunStatus.FAILED, System.currentTimeMillis());
            return "the run is marked FAILED on the server";
        } catch (MlflowCallException e) {
            return "marking the run FAILED failed too (" + e.getMessage() + "), so it may stay RUNNING on the server";
        }
    }

    private void refuse(List<Outgoing> items) {
        synchronized (refused) {
            refused.addAll(items);
        }
        outbox.remove(items);
    }
}
