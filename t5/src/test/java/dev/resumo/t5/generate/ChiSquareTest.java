package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The chi-square helper SamplingDistributionTest relies on, against independent values. */
class ChiSquareTest {
    @Test
    void pValuesMatchTorchsRegularizedGamma() {
        // {x, df, torch.special.gammaincc(df / 2, x / 2) in float64 (torch 2.15)}: textbook critical
        // values (3.841 for 5 % at df 1, 15.137 for 1e-4 at df 1, 29.588 for 0.1 % at df 10,
        // 33.720 for 1e-4 at df 9), both branches of the computation (x below and above df / 2 + 1),
        // a far tail and a statistic near 0.
        double[][] cases = {
            {3.841458820694124, 1, 0.04999999999999994},
            {15.136705226623606, 1, 9.999999999998884e-05},
            {29.588298445074, 10, 0.001000000000000157},
            {33.7199, 9, 0.00010000195132753928},
            {0.5, 3, 0.9188914116546758},
            {10.0, 2, 0.006737946999085468}, // exp(-5): df 2 is the exponential distribution
            {200.0, 150, 0.0039731859708216355},
            {45.0, 39, 0.23514400387861653},
            {1500.0, 39, 1.0857827949117636e-289},
            {0.01, 40, 1.0},
        };
        for (double[] c : cases) {
            // 1e-9 relative: the series, continued fraction and Lanczos log-gamma agree to ~1e-13;
            // a p-value compared with 1e-4 needs far less.
            assertEquals(c[2], ChiSquare.pValue(c[0], (int) c[1]), 1e-9 * c[2], "x " + c[0] + ", df " + (int) c[1]);
        }
    }

    @Test
    void binsBelowFiveExpectedArePooled() {
        // 100 draws: expected 50, 40, 6, 2, 2 → the last two pool to 4, still < 5, so they join the 6.
        ChiSquare.Result r = ChiSquare.test(new int[] {50, 40, 4, 3, 3, 0}, new double[] {0.5, 0.4, 0.06, 0.02, 0.02, 0});
        assertEquals(3, r.bins());
        assertEquals(2, r.degreesOfFreedom());
        assertEquals(0.0, r.statistic(), 1e-12, "observed 50, 40, 10 against expected 50, 40, 10");
        // expected 30, 30, 30, 4, 3, 3 → the three small ones pool to 10
        ChiSquare.Result s = ChiSquare.test(new int[] {25, 35, 30, 10, 0, 0}, new double[] {0.3, 0.3, 0.3, 0.04, 0.03, 0.03});
        assertEquals(4, s.bins());
        assertEquals(25.0 / 30 + 25.0 / 30, s.statistic(), 1e-12);
        assertEquals(ChiSquare.pValue(s.statistic(), 3), s.pValue());
    }
}
