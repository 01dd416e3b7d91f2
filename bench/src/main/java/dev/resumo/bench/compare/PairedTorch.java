package dev.resumo.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * PyTorch's side of `bench compare --paired`: for each workload, the {@link TorchWorker} prepares
 * and warms up before Resumo's warm-up, then runs once just before each of Resumo's timed runs.
 * Peak RSS is each side's own: the worker resets its VmHWM (/proc/self/clear_refs) when it
 * prepares a workload and reads it when the workload finishes, as the JVM does for its side.
 *
 * <p>When the worker fails, the failure is kept (one line, {@link #failure}), the worker is
 * stopped, and the remaining workloads run on Resumo alone; workloads already finished keep their figures.
 */
public final class PairedTorch implements BesideRuns, AutoCloseable {
    private TorchWorker worker; // null once it failed
    private final String versions;
    private final Consumer<String> log;
    private String failure;
    private final Map<String, PairedRuns> pairs = new LinkedHashMap<>();
    private final Map<String, double[]> results = new LinkedHashMap<>();
    private String current; // the prepared workload, null between workloads or after a failure
    private double units;
    private final List<Double> torchRuns = new ArrayList<>();
    private final List<Double> resumoRuns = new ArrayList<>();

    public PairedTorch(TorchWorker worker, Consumer<String> log) {
        this.worker = worker;
        this.versions = worker.versions();
        this.log = log;
    }

    @Override
    public void prepare(String workload) {
        if (worker == null) return;
        try {
            units = worker.prepare(workload).units();
            current = workload;
            torchRuns.clear();
            resumoRuns.clear();
        } catch (TorchWorker.Failed e) {
            fail(e);
        }
    }

    @Override
    public void beforeRun(String workload, int run) {
        if (worker == null || !workload.equals(current)) return;
        try {
            double s = worker.run();
            log.accept(String.format(Locale.ROOT, "torch %s run %d: %.3f s", workload, run + 1, s));
            torchRuns.add(s);
        } catch (TorchWorker.Failed e) {
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
        } catch (TorchWorker.Failed e) {
            fail(e);
        }
    }

    /** PyTorch's figures per finished workload, as {@link TorchSide#results}: median s, units, peak RSS MiB, best s. */
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

    private void fail(TorchWorker.Failed e) {
        failure = e.getMessage() + (current == null ? "" : " (workload " + current + ")");
        current = null;
        close();
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
