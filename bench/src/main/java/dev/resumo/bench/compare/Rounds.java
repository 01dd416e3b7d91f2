package dev.resumo.bench.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `bench compare --rounds N`: PyTorch, CTranslate2 and Resumo measured in turn, N times over, and
 * the rounds folded into one table. Why: on a shared machine the speed drifts by 10-20% over
 * minutes, and with one round every PyTorch run comes minutes before every Resumo run, so a drift
 * lands whole on the ratio (PyTorch's greedy batch-1 median moved 0.68 → 1.33 s between two
 * sessions' runs while Resumo's stayed 0.26-0.33 s). Alternating the sides spreads the drift over both.
 *
 * <p>Folding: the median of the rounds' medians (the middle two averaged for an even count), the
 * fastest best run, and units and peak RSS from the first round — later rounds run in a JVM whose
 * heap the earlier training step grew, which would count in their resident set; the heap allocated
 * per run is the rounds' median.
 */
public final class Rounds {
    private Rounds() {}

    /** Resumo's results of one workload, one per round, as one. */
    public static WorkloadResult combine(List<WorkloadResult> rounds) {
        if (rounds.isEmpty()) throw new IllegalArgumentException("no rounds to combine");
        WorkloadResult first = rounds.get(0);
        double[] medians = new double[rounds.size()];
        double[] allocated = new double[rounds.size()];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < rounds.size(); i++) {
            WorkloadResult r = rounds.get(i);
            if (!r.name().equals(first.name())) {
                throw new IllegalArgumentException("rounds of different workloads: " + first.name() + ", " + r.name());
            }
            medians[i] = r.medianSeconds();
            allocated[i] = r.allocatedMibPerRun();
            best = Math.min(best, r.bestSeconds());
        }
        return new WorkloadResult(first.name(), median(medians), best, first.units(), first.unit(), first.flops(),
                first.peakRssMib(), median(allocated));
    }

    /**
     * A Python side's rounds (per workload: median seconds, units, peak RSS MiB, best seconds; see
     * {@link TorchSide#results}) as one map. A workload some round lacks (that round failed) is
     * folded from the rounds that have it.
     */
    public static Map<String, double[]> combineSide(List<Map<String, double[]>> rounds) {
        Map<String, List<double[]>> byWorkload = new LinkedHashMap<>();
        for (Map<String, double[]> round : rounds) {
            round.forEach((w, v) -> byWorkload.computeIfAbsent(w, x -> new ArrayList<>()).add(v));
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        byWorkload.forEach((w, list) -> {
            double[] medians = new double[list.size()];
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < list.size(); i++) {
                medians[i] = list.get(i)[0];
                best = Math.min(best, list.get(i)[3]);
            }
            double[] first = list.get(0);
            out.put(w, new double[] {median(medians), first[1], first[2], best});
        });
        return out;
    }

    /**
     * One line per round with that round's speedup per workload (its PyTorch median / its Resumo
     * median): how far the rounds agree. Empty when PyTorch gave no figures.
     */
    public static List<String> speedupLines(List<List<WorkloadResult>> resumo, List<Map<String, double[]>> torch) {
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < resumo.size() && r < torch.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (WorkloadResult w : resumo.get(r)) {
                double[] t = torch.get(r).get(w.name());
                if (t == null) continue;
                line.append(String.format(Locale.ROOT, " %s %.2fx", w.name(), t[0] / w.medianSeconds()));
            }
            if (!line.isEmpty()) lines.add("round " + (r + 1) + " speedup:" + line);
        }
        return lines;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
