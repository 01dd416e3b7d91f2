package dev.resumo.t5.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pearson's chi-square goodness-of-fit test of observed counts against expected probabilities,
 * for tests of samplers (no statistics library in the project). Bins whose expected count is
 * below 5 are pooled, as the chi-square approximation of the statistic's distribution asks.
 */
final class ChiSquare {
    private ChiSquare() {}

    /** The pooled test: its statistic, degrees of freedom (bins - 1: no parameter is estimated), bins and p-value. */
    record Result(double statistic, int degreesOfFreedom, int bins, double pValue) {}

    /** Below this expected count a bin is pooled with others. */
    static final double MIN_EXPECTED = 5;

    /**
     * @param counts how often each outcome was drawn
     * @param probs the probability of each outcome under the hypothesis; outcomes of probability 0
     *              are left out (whether they were drawn is the caller's separate check)
     */
    static Result test(int[] counts, double[] probs) {
        long total = Arrays.stream(counts).asLongStream().sum();
        List<double[]> bins = new ArrayList<>(); // {expected, observed}
        double pooledExpected = 0, pooledObserved = 0;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] <= 0) continue;
            double expected = total * probs[i];
            if (expected < MIN_EXPECTED) {
                pooledExpected += expected;
                pooledObserved += counts[i];
            } else {
                bins.add(new double[] {expected, counts[i]});
            }
        }
        if (pooledExpected > 0) {
            if (pooledExpected < MIN_EXPECTED && !bins.isEmpty()) {
                // Still too small: merge it into the least expected bin.
                double[] smallest = bins.stream().min((a, b) -> Double.compare(a[0], b[0])).orElseThrow();
                smallest[0] += pooledExpected;
                smallest[1] += pooledObserved;
            } else {
                bins.add(new double[] {pooledExpected, pooledObserved});
            }
        }
        if (bins.size() < 2) throw new IllegalArgumentException("a chi-square test needs 2 bins, the probabilities give " + bins.size());
        double statistic = 0;
        for (double[] b : bins) statistic += (b[1] - b[0]) * (b[1] - b[0]) / b[0];
        int df = bins.size() - 1;
        return new Result(statistic, df, bins.size(), pValue(statistic, df));
    }

    /** P(X ≥ x) for X chi-square distributed with df degrees of freedom: Q(df / 2, x / 2). */
    static double pValue(double x, int df) {
        if (x <= 0) return 1;
        return upperRegularizedGamma(df / 2.0, x / 2);
    }

    /**
     * Q(a, x) = Γ(a, x) / Γ(a): the series of P(a, x) below x = a + 1, else the continued fraction
     * of Q by the modified Lentz method (Numerical Recipes, 6.2), both to double precision.
     */
    static double upperRegularizedGamma(double a, double x) {
        double logPrefactor = a * Math.log(x) - x - logGamma(a);
        if (x < a + 1) {
            double term = 1 / a, sum = term;
            for (int n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
                term *= x / (a + n);
                sum += term;
            }
            return 1 - sum * Math.exp(logPrefactor);
        }
        double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(logPrefactor) * h;
    }

    /** ln Γ(a) for a > 0: Lanczos (g = 7, 9 terms), about 1e-15 relative. */
    static double logGamma(double a) {
        if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        double z = a - 1, sum = c[0];
        for (int i = 1; i < 9; i++) sum += c[i] / (z + i);
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
