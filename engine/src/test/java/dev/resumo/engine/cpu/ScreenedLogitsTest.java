package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The screened argmax must be the float32 argmax exactly (same index, first of ties), whatever
 * the data: it is compared with argmax over {@link PanelWeight}'s logits — the product a host
 * decode uses — on random weights and on weights built to be hard for bfloat16 (rows equal or
 * differing below its precision, so the approximations cannot tell them apart).
 */
class ScreenedLogitsTest {

    private static float[] gaussian(Random rng, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rng.nextGaussian() * scale);
        return x;
    }

    /** The first index of the largest value, -∞ for banned ids (NextTokenScores.argmax's rule). */
    private static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
        return best;
    }

    /** The two copies: bfloat16 (any row count) and int8 (one row at a time). */
    private static ScreenedLogits[] both(float[] w, int n, int k) {
        return new ScreenedLogits[] {ScreenedLogits.pack(w, 0, n, k), ScreenedLogits.packInt8(w, 0, n, k)};
    }

    /** Every row of h, with each copy: screened argmax against the float32 one, the given ids banned. */
    private static int check(float[] w, int n, int k, float[] h, int m, int[] banned) {
        for (ScreenedLogits screen : both(w, n, k)) check(screen, w, n, k, h, m, banned);
        return m;
    }

    private static void check(ScreenedLogits screen, float[] w, int n, int k, float[] h, int m, int[] banned) {
        PanelWeight full = PanelWeight.pack(w, 0, n, k);
        float[] logits = new float[m * n], approx = new float[m * n];
        full.multiply(m, h, 0, logits, 0, false);
        screen.approximate(m, h, 0, approx, 0);
        for (int r = 0; r < m; r++) {
            for (int b : banned) {
                logits[r * n + b] = Float.NEGATIVE_INFINITY;
                approx[r * n + b] = Float.NEGATIVE_INFINITY;
            }
            int expected = argmax(logits, r * n, n);
            int got = screen.argmax(h, r * k, approx, r * n);
            assertEquals(expected, got, "row " + r + " of " + m + " (n " + n + ", k " + k + ")");
        }
    }

    @Test
    void exactLogitsAreThePanelProductsBits() {
        Random rng = new Random(3);
        int n = 70, k = 37, m = 5;
        float[] w = gaussian(rng, n * k, 1), h = gaussian(rng, m * k, 0.3);
        float[] logits = new float[m * n];
        PanelWeight.pack(w, 0, n, k).multiply(m, h, 0, logits, 0, false);
        ScreenedLogits screen = ScreenedLogits.pack(w, 0, n, k);
        for (int r = 0; r < m; r++) {
            for (int v = 0; v < n; v++) {
                assertEquals(Float.floatToRawIntBits(logits[r * n + v]), Float.floatToRawIntBits(screen.exact(h, r * k, v)),
                        "logit " + v + " of row " + r);
            }
        }
    }

    @Test
    void approximationsStayWithinTheirBound() {
        // The bound the screening relies on, checked on data: |Â_v − L_v| ≤ ‖h‖₂·c_v + η. Values of
        // very different sizes across the row make the bfloat16 rounding matter.
        Random rng = new Random(5);
        int n = 300, k = 96, m = 3;
        float[] w = gaussian(rng, n * k, 1);
        for (int i = 0; i < w.length; i += 7) w[i] *= 1000;
        float[] h = gaussian(rng, m * k, 1);
        // bfloat16 rounds each weight within 2⁻⁸ of itself; int8 within half a step, max|w_v|/254.
        ScreenedLogits[] copies = both(w, n, k);
        double[] relative = {0x1p-8, 0};
        for (int copy = 0; copy < 2; copy++) {
        ScreenedLogits screen = copies[copy];
        float[] approx = new float[m * n];
        screen.approximate(m, h, 0, approx, 0);
        double worst = 0;
        for (int r = 0; r < m; r++) {
            double hNorm = 0;
            for (int p = 0; p < k; p++) hNorm += (double) h[r * k + p] * h[r * k + p];
            hNorm = Math.sqrt(hNorm);
            for (int v = 0; v < n; v++) {
                double diff = Math.abs(approx[r * n + v] - screen.exact(h, r * k, v));
                double wNorm = 0, wMax = 0;
                for (int p = 0; p < k; p++) {
                    wNorm += (double) w[v * k + p] * w[v * k + p];
                    wMax = Math.max(wMax, Math.abs(w[v * k + p]));
                }
                // c_v ≤ the copy's rounding (as a norm) + γ_(K+2)·2.01‖w_v‖: a looser bound, easy to state here.
                double rounding = copy == 0 ? relative[0] * Math.sqrt(wNorm) : wMax / 254 * Math.sqrt(k) * 1.0001;
                double loose = hNorm * (rounding + Math.sqrt(wNorm) * 2.01 * (k + 2) * 0x1p-24);
                assertTrue(diff <= loose, "token " + v + ": approximation off by " + diff + ", bound " + loose);
                worst = Math.max(worst, diff / loose);
            }
        }
        assertTrue(worst > 0, "the approximations must differ from the float32 logits somewhere (copy " + copy + ")");
        }
    }

    @Test
    void randomWeightsEveryTileAndEdge() {
        Random rng = new Random(7);
        int rows = 0;
        // n not a multiple of a panel pair (32 columns with AVX-512), k not of a vector; m from 1 to 9
        // covers the 8-, 4-, 2- and 1-row tiles and their mixes.
        for (int[] s : new int[][] {{1000, 64}, {333, 37}, {32, 512}, {35, 1}}) {
            int n = s[0], k = s[1];
            float[] w = gaussian(rng, n * k, 1);
            for (int m = 1; m <= 9; m++) rows += check(w, n, k, gaussian(rng, m * k, 0.5), m, new int[0]);
        }
        System.out.println("screened argmax: " + rows + " random rows agree with the float32 argmax, with the bfloat16 copy and with the int8 one");
    }

    @Test
    void nearTiesAndExactTiesResolveAsTheFloat32Argmax() {
        Random rng = new Random(11);
        int n = 200, k = 64;
        float[] w = gaussian(rng, n * k, 1);
        float[] h = gaussian(rng, 4 * k, 1);
        // Make token 150 the winner for row 0, then add rivals bfloat16 cannot separate from it:
        // 40 (an exact copy: a tie, the first index wins), 151 and 152 (one ulp apart in a weight,
        // either way: their float32 logits differ by a few ulps or not at all).
        for (int p = 0; p < k; p++) w[150 * k + p] = h[p] * 3;
        System.arraycopy(w, 150 * k, w, 40 * k, k);
        System.arraycopy(w, 150 * k, w, 151 * k, k);
        System.arraycopy(w, 150 * k, w, 152 * k, k);
        w[151 * k + 5] = Math.nextUp(w[151 * k + 5]);
        w[152 * k + 9] = Math.nextDown(w[152 * k + 9]);
        check(w, n, k, h, 4, new int[0]);
        // Row 0 once its tie-winner is banned: then 150 against its near twins.
        check(w, n, k, h, 4, new int[] {40});
        check(w, n, k, h, 4, new int[] {40, 150});
    }

    @Test
    void aWinnerBfloat16RanksSecondIsStillFound() {
        // h = (1, 1); bfloat16 spacing is u = 2⁻⁷ above 1, u/2 below. Token 3 = (1 + 0.49u, 1 + 0.49u):
        // float32 logit 2 + 0.98u, rounded to (1, 1): approximation 2. Token 7 = (1 + 0.51u, 1 − 0.4u):
        // float32 2 + 0.11u, rounded to (1 + u, 1 − u/2): approximation 2 + 0.5u. The approximations
        // rank 7 first; the float32 argmax is 3. (With the error bound left out, the screening picks 7.)
        double u = 0x1p-7;
        int n = 10, k = 2;
        float[] w = new float[n * k];
        for (int v = 0; v < n; v++) { w[v * k] = 0.5f; w[v * k + 1] = 0.5f; }
        w[3 * k] = (float) (1 + 0.49 * u); w[3 * k + 1] = (float) (1 + 0.49 * u);
        w[7 * k] = (float) (1 + 0.51 * u); w[7 * k + 1] = (float) (1 - 0.4 * u);
        float[] h = {1f, 1f};
        ScreenedLogits screen = ScreenedLogits.pack(w, 0, n, k);
        float[] approx = new float[n];
        screen.approximate(1, h, 0, approx, 0);
        assertTrue(approx[7] > approx[3], "the case must rank the tokens the other way round in bfloat16");
        assertTrue(screen.exact(h, 0, 3) > screen.exact(h, 0, 7), "and token 3 first in float32");
        assertEquals(3, screen.argmax(h, 0, approx, 0));
    }

    @Test
    void bannedTokensAndUndecidableRows() {
        Random rng = new Random(13);
        int n = 64, k = 16;
        float[] w = gaussian(rng, n * k, 1), h = gaussian(rng, k, 1);
        ScreenedLogits screen = ScreenedLogits.pack(w, 0, n, k);
        float[] approx = new float[n];
        screen.approximate(1, h, 0, approx, 0);
        int top = argmax(approx, 0, n);
        approx[top] = Float.NEGATIVE_INFINITY;
        assertTrue(screen.argmax(h, 0, approx, 0) != top, "a banned token is never picked");
        java.util.Arrays.fill(approx, Float.NEGATIVE_INFINITY);
        assertEquals(-1, screen.argmax(h, 0, approx, 0), "every token banned: left to the full logits");
        screen.approximate(1, h, 0, approx, 0);
        approx[3] = Float.NaN;
        assertEquals(-1, screen.argmax(h, 0, approx, 0), "a NaN approximation: no bound holds");
        float[] bad = h.clone();
        bad[2] = Float.POSITIVE_INFINITY;
        screen.approximate(1, h, 0, approx, 0);
        assertEquals(-1, screen.argmax(bad, 0, approx, 0), "a non-finite input row");
        float[] inf = w.clone();
        inf[10] = Float.POSITIVE_INFINITY;
        assertNull(ScreenedLogits.pack(inf, 0, n, k), "weights bfloat16 cannot bound");
        float[] huge = w.clone();
        huge[10] = Float.MAX_VALUE; // rounds up to infinity in bfloat16
        assertNull(ScreenedLogits.pack(huge, 0, n, k), "a weight that overflows bfloat16");
        assertNull(ScreenedLogits.packInt8(inf, 0, n, k), "int8: weights that are not finite");
    }
}
