package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SparseRowWeight} and the panel weight that uses it: a one-row product of a mostly-zero
 * input gives the panels' bits exactly (the same FMA chain without its zero terms), on one thread
 * and two, with and without accumulate, across widths that exercise the 16-, 8- and 1-vector
 * column groups; inputs with too few zeros are declined and go through the panels.
 */
class SparseRowWeightTest {

    @AfterEach
    void threadsAsBefore() {
        Workers.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void sameBitsAsThePanelsForMostlyZeroInputs() {
        Random random = new Random(31);
        int L = GemmPanels.L;
        int[] widths = {1, L - 3, 8 * L, 16 * L, 24 * L + 5, 32 * L, 48 * L, 7 * L + 1};
        int checked = 0;
        for (int n : widths) {
            for (int k : new int[] {1, 9, 300, 2048}) {
                float[] w = new float[n * k];
                for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
                PanelWeight plain = PanelWeight.pack(w, 0, n, k);
                PanelWeight sparse = PanelWeight.pack(w, 0, n, k, true);
                for (double zeros : new double[] {0.45, 0.7, 0.97, 1.0}) {
                    float[] a = new float[k + 3];
                    for (int i = 3; i < a.length; i++) a[i] = random.nextDouble() < zeros ? 0f : (float) Math.max(0, random.nextGaussian());
                    for (boolean accumulate : new boolean[] {false, true}) {
                        for (int threads : new int[] {1, 2}) {
                            Workers.setThreads(threads);
                            float[] start = new float[n + 2];
                            for (int j = 0; j < start.length; j++) start[j] = random.nextFloat();
                            float[] expected = start.clone();
                            float[] actual = start.clone();
                            plain.multiply(1, a, 3, expected, 2, accumulate);
                            sparse.multiply(1, a, 3, actual, 2, accumulate);
                            assertArrayEquals(expected, actual, "n=" + n + " k=" + k + " zeros=" + zeros + " accumulate="
                                    + accumulate + " threads=" + threads);
                            checked++;
                        }
                    }
                }
            }
        }
        System.out.println("SparseRowWeightTest: " + checked + " one-row products bit-identical to the panels");
    }

    @Test
    void declinesInputsWithFewZerosAndTouchesNothing() {
        int n = 16 * GemmPanels.L, k = 100;
        float[] w = new float[n * k];
        Random random = new Random(32);
        for (int i = 0; i < w.length; i++) w[i] = random.nextFloat();
        SparseRowWeight rows = SparseRowWeight.pack(w, 0, n, k);
        float[] a = new float[k];
        int nonzero = (int) (SparseRowWeight.MAX_NONZERO_SHARE * k);
        for (int i = 0; i < nonzero; i++) a[i * k / nonzero] = 1f + i;
        float[] c = new float[n];
        assertTrue(rows.multiplyRow(a, 0, c, 0, false), nonzero + " non-zero inputs of " + k + " are within the share");
        double expected0 = 0;
        for (int i = 0; i < k; i++) expected0 += (double) a[i] * w[i];
        assertEquals(expected0, c[0], 1e-3 * Math.abs(expected0), "column 0 against a double loop");
        a[1] = a[1] == 0f ? 5f : a[1];
        a[2] = a[2] == 0f ? 6f : a[2];
        float[] untouched = new float[n];
        java.util.Arrays.fill(untouched, 42f);
        float[] d = untouched.clone();
        assertFalse(rows.multiplyRow(a, 0, d, 0, false), "more non-zero inputs than the share: declined");
        assertArrayEquals(untouched, d, "a declined product leaves C as it was");
        assertFalse(PanelWeight.pack(w, 0, n, k).hasSparseRows());
        assertTrue(PanelWeight.pack(w, 0, n, k, true).hasSparseRows());
    }
}
