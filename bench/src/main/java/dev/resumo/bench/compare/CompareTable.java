package dev.resumo.bench.compare;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side table: medians, throughput, speedup (torch median / Resumo median) and the
 * same ratio of best runs (robust when other processes share the cores), share of FMA peak, peak RSS.
 */
public final class CompareTable {
    private CompareTable() {}

    /** @param torch median seconds, units, peak RSS MiB and best seconds per workload (empty when PyTorch did not run) */
    public static void print(List<WorkloadResult> resumo, Map<String, double[]> torch, double peakGflops, PrintStream out) {
        print(resumo, torch, Map.of(), peakGflops, out);
    }

    /**
     * As above, with CTranslate2's figures (same layout as torch's; empty: no columns for it): its
     * median seconds and the speedup over it (CTranslate2 median / Resumo median).
     */
    public static void print(List<WorkloadResult> resumo, Map<String, double[]> torch, Map<String, double[]> ct2,
                             double peakGflops, PrintStream out) {
        print(resumo, torch, ct2, Map.of(), Map.of(), peakGflops, out);
    }

    /**
     * As above, with `--paired` runs ({@code pairs} not empty): the speedup column is then the
     * median of the pair ratios (torch run / the Resumo run right after it) instead of the ratio of
     * the two medians, and a "pairs" column gives the lowest and highest pair ratio; likewise
     * "vs ct2" from {@code ct2Pairs} (CTranslate2's run i / Resumo's run i) when it has the workload.
     */
    public static void print(List<WorkloadResult> resumo, Map<String, double[]> torch, Map<String, double[]> ct2,
                             Map<String, PairedRuns> pairs, Map<String, PairedRuns> ct2Pairs, double peakGflops, PrintStream out) {
        boolean withCt2 = !ct2.isEmpty();
        boolean paired = !pairs.isEmpty();
        out.printf(Locale.ROOT, "%-8s %-11s %9s %9s %10s %10s %7s%s %8s %8s %8s %9s %9s%s%n", "workload", "unit",
                "resumo s", "torch s", "resumo/s", "torch/s", "speedup", paired ? String.format(Locale.ROOT, " %11s", "pairs") : "",
                "best-of", "GFLOP/s", "%peak", "RSS MiB", "torch MiB",
                withCt2 ? String.format(Locale.ROOT, " %9s %8s %9s", "ct2 s", "vs ct2", "ct2 MiB") : "");
        for (WorkloadResult r : resumo) {
            double[] t = torch.get(r.name());
            PairedRuns p = pairs.get(r.name());
            String ts = t == null ? "-" : String.format(Locale.ROOT, "%.3f", t[0]);
            String tt = t == null ? "-" : String.format(Locale.ROOT, "%.1f", t[1] / t[0]);
            String ratio = t == null ? "-" : String.format(Locale.ROOT, "%.2fx", p != null ? p.medianRatio() : t[0] / r.medianSeconds());
            String range = !paired ? "" : String.format(Locale.ROOT, " %11s", p == null ? "-"
                    : String.format(Locale.ROOT, "%.2f-%.2fx", p.minRatio(), p.maxRatio()));
            String tm = t == null ? "-" : String.format(Locale.ROOT, "%.0f", t[2]);
            String best = t == null ? "-" : String.format(Locale.ROOT, "%.2fx", t[3] / r.bestSeconds());
            String ctCols = "";
            if (withCt2) {
                double[] c = ct2.get(r.name());
                PairedRuns cp = ct2Pairs.get(r.name());
                ctCols = c == null ? String.format(Locale.ROOT, " %9s %8s %9s", "-", "-", "-")
                        : String.format(Locale.ROOT, " %9.3f %8s %9.0f", c[0],
                                String.format(Locale.ROOT, "%.2fx", cp != null ? cp.medianRatio() : c[0] / r.medianSeconds()), c[2]);
            }
            out.printf(Locale.ROOT, "%-8s %-11s %9.3f %9s %10.1f %10s %7s%s %8s %8.1f %7.1f%% %9.0f %9s%s%n", r.name(), r.unit(),
                    r.medianSeconds(), ts, r.throughput(), tt, ratio, range, best, r.gflops(), 100 * r.gflops() / peakGflops,
                    r.peakRssMib(), tm, ctCols);
        }
    }

    /**
     * The heap Resumo allocated per timed run of each workload, one line (null when none was
     * measured): the step loops reuse their buffers, so this stays small, and a jump means garbage
     * per token (see {@link HeapAllocation}).
     */
    public static String allocationLine(List<WorkloadResult> resumo) {
        StringBuilder line = new StringBuilder("resumo heap allocated per run (all threads):");
        boolean any = false;
        for (WorkloadResult r : resumo) {
            if (Double.isNaN(r.allocatedMibPerRun())) continue;
            line.append(String.format(Locale.ROOT, "%s %s %.1f MiB", any ? "," : "", r.name(), r.allocatedMibPerRun()));
            any = true;
        }
        return any ? line.toString() : null;
    }
}
