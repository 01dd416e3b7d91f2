package dev.resumo.train.rouge;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Confidence intervals on mean ROUGE by bootstrap resampling, as rouge_score's
 * BootstrapAggregator: {@code samples} times, draw as many pairs as there are with replacement and
 * take the mean; report the (1-confidence)/2, 50 and 1-(1-confidence)/2 percentiles of those means
 * with numpy's default linear interpolation. The draws come from a seeded SplittableRandom, so a
 * run is reproducible but its intervals differ from Python's (numpy's RNG) by resampling noise only.
 */
public final class BootstrapAggregator {
    private static final int MEASURES = 3;

    private final int samples;
    private final double confidence;
    private final long seed;

    public BootstrapAggregator(int samples, double confidence, long seed) {
        if (samples <= 0) throw new IllegalArgumentException("bootstrap samples must be positive, got " + samples);
        if (confidence < 0 || confidence > 1) {
            throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
        }
        this.samples = samples;
        this.confidence = confidence;
        this.seed = seed;
    }

    public int samples() {
        return samples;
    }

    public double confidence() {
        return confidence;
    }

    public long seed() {
        return seed;
    }

    /** The interval of one ROUGE type over per-pair scores (at least one). */
    public Interval aggregate(List<Score> scores) {
        int n = scores.size();
        if (n == 0) throw new IllegalArgumentException("no scores to aggregate");
        double[][] matrix = new double[n][];
        for (int i = 0; i < n; i++) {
            Score s = scores.get(i);
            matrix[i] = new double[] {s.precision(), s.recall(), s.fmeasure()};
        }
        double[][] means = new double[MEASURES][samples];
        SplittableRandom random = new SplittableRandom(seed);
        double[] sum = new double[MEASURES];
        for (int b = 0; b < samples; b++) {
            Arrays.fill(sum, 0);
            for (int k = 0; k < n; k++) {
                double[] row = matrix[random.nextInt(n)];
                for (int m = 0; m < MEASURES; m++) sum[m] += row[m];
            }
            for (int m = 0; m < MEASURES; m++) means[m][b] = sum[m] / n;
        }
        double delta = (1 - confidence) / 2;
        return new Interval(percentiles(means, delta), percentiles(means, 0.5), percentiles(means, 1 - delta));
    }

    private static Score percentiles(double[][] means, double q) {
        return new Score(percentile(means[0], q), percentile(means[1], q), percentile(means[2], q));
    }

    /** numpy.percentile's default ("linear") method at fraction q of the sorted values. */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int lo = (int) Math.floor(position);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double fraction = position - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * fraction;
    }
}
