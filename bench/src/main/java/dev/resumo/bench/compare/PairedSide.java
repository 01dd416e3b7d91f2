package dev.resumo.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * PyTorch's (or CTranslate2's) side of `bench compare --paired`: for each workload, the
 * {@link PairedWorker} prepares and warms up before Resumo's warm-up, then runs once just before
 * each of Resumo's timed runs. Peak RSS is each side's own: the worker resets its VmHWM
 * (/proc/self/clear_refs) when it prepares a workload and reads it when the workload finishes, as
 * the JVM does for its side. A workload the worker skips (CTranslate2: train) has no figures.
 *
 * <p>When the worker fails, the failure is kept (one line, {@link #failure}), the worker is
 * stopped, and the remaining workloads run without it; workloads already finished keep their figures.
 */
public final class PairedSide implements BesideRuns, AutoCloseable {
    private PairedWorker worker; // null once it failed
    private final String versions;
    private final String label;
    private final Consumer<String> log;
    private String failure;
    private final Map<String, PairedRuns> pairs = new LinkedHashMap<>();
    private final Map<String, double[]> results = new LinkedHashMap<>();
    private String current; // the prepared workload, null between workloads or after a failure
    private double units;
    private final List<Double> torchRuns = new ArrayList<>();
    private final List<Double> resumoRuns = new ArrayList<>();

    /** @param label the side's name in progress lines ("torch", "ct2") */
    public PairedSide(PairedWorker worker, String label, Consumer<String> log) {
        this.worker = worker;
        this.versions = worker.versions();
        this.label = label;
        this.log = log;
    }

    @Override
    public void prepare(String workload) {
        if (worker == null) return;
        try {
            PairedWorker.Prepared p = worker.prepare(workload);
            if (p.skipped()) return;
            units = p.units();
            current = workload;
            torchRuns.clear();
            resumoRuns.clear();
        } catch (PairedWorker.Failed e) {
            fail(e);
        }
    }

    @Override
    public void beforeRun(String workload, int run) {
        if (worker == null || !workload.equals(current)) return;
        try {
            double s = worker.run();
            log.accept(String.format(Locale.ROOT, "%s %s run %d: %.3f s", label, workload, run + 1, s));
            torchRuns.add(s);
        } catch (PairedWorker.Failed e) {
            fail(e);
        }
    }

    @Override
    public void afterRun(String workload, int run, double resumoSeconds) {
        if (workload.equals(current) && resumoRuns.size() < torchRuns.size()) resumoRuns.add(resumoSeconds);
    }

    @Override
    public void finish(String workload) {
        if (worker == null || !workload.equals(current)) return;
        try {
            double peak = worker.finish();
            PairedRuns p = new PairedRuns(unbox(torchRuns), unbox(resumoRuns));
            pairs.put(workload, p);
            results.put(workload, new double[] {p.torchMedian(), units, peak, p.torchBest()});
            current = null;
        } catch (PairedWorker.Failed e) {
            fail(e);
        }
    }

    /** The side's figures per finished workload, as {@link TorchSide#results}: median s, units, peak RSS MiB, best s. */
    public Map<String, double[]> results() {
        return results;
    }

    /** The pairs of each finished workload. */
    public Map<String, PairedRuns> pairs() {
        return pairs;
    }

    public String versions() {
        return versions;
    }

    /** Why the worker stopped early (naming the workload it was on), or null. */
    public String failure() {
        return failure;
    }

    @Override
    public void close() {
        if (worker != null) worker.close();
        worker = null;
    }

    private void fail(PairedWorker.Failed e) {
        failure = e.getMessage() + (current == null ? "" : " (workload " + current + ")");
        current = null;
        close();
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
