package dev.resumo.bench.compare;

import java.util.Arrays;
import java.util.Locale;

/**
 * The timed runs of one workload under `bench compare --paired`: PyTorch's run i came just before
 * Resumo's run i, so the two saw the same machine speed, and each pair's ratio (torch seconds /
 * Resumo seconds) is free of the drift between minutes (this 2-core VM's FMA peak moved 223 → 351
 * GFLOP/s within 10 minutes; unpaired rounds' training-step ratios read 1.21x, 0.99x, 0.80x).
 * The speedup is the median of the pair ratios, with their min and max as the spread.
 */
public record PairedRuns(double[] torchSeconds, double[] resumoSeconds) {
    public PairedRuns {
        if (torchSeconds.length != resumoSeconds.length || torchSeconds.length == 0) {
            throw new IllegalArgumentException("pairs need as many PyTorch as Resumo runs, at least one: got "
                    + torchSeconds.length + " and " + resumoSeconds.length);
        }
        torchSeconds = torchSeconds.clone();
        resumoSeconds = resumoSeconds.clone();
    }

    public int size() {
        return torchSeconds.length;
    }

    /** torch seconds / Resumo seconds of each pair, in run order. */
    public double[] ratios() {
        double[] r = new double[size()];
        for (int i = 0; i < r.length; i++) r[i] = torchSeconds[i] / resumoSeconds[i];
        return r;
    }

    public double medianRatio() {
        return Rounds.median(ratios());
    }

    public double minRatio() {
        return Arrays.stream(ratios()).min().orElseThrow();
    }

    public double maxRatio() {
        return Arrays.stream(ratios()).max().orElseThrow();
    }

    public double torchMedian() {
        return Rounds.median(torchSeconds);
    }

    public double torchBest() {
        return Arrays.stream(torchSeconds).min().orElseThrow();
    }

    public double resumoMedian() {
        return Rounds.median(resumoSeconds);
    }

    /** "greedy8 pairs (torch s / resumo s = ratio): 0.930/0.610 = 1.52x, ..." */
    public String line(String workload) {
        return line(workload, "torch");
    }

    /** As above, naming the other side {@code side} ("ct2"). */
    public String line(String workload, String side) {
        StringBuilder s = new StringBuilder(workload + " pairs (" + side + " s / resumo s = ratio):");
        for (int i = 0; i < size(); i++) {
            s.append(String.format(Locale.ROOT, "%s %.3f/%.3f = %.2fx", i == 0 ? "" : ",", torchSeconds[i], resumoSeconds[i],
                    torchSeconds[i] / resumoSeconds[i]));
        }
        return s.toString();
    }
}
