package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PanelWeight}: C = A·Wᵀ from the column-panel copy, against a double-precision loop over
 * W as stored, and the decoding contract (a row gets the same bits alone, in a batch of any size,
 * on any number of threads).
 *
 * <p>Tolerance as in {@link GemmTest}: 2·k·eps·Σ|a||w| per element (a float sum of k products
 * errs by at most about k·eps·Σ|a||w|), plus a tiny floor for exact zeros; a wrong panel, a lost
 * column tail or a row read from the wrong place errs by |a||w| itself.
 */
class PanelWeightTest {
    private static final double EPS = Math.ulp(1f) / 2;

    @BeforeAll
    static void twoThreads() {
        Workers.setThreads(2);
    }

    @AfterAll
    static void restore() {
        Workers.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void matchesTheProductOnTheWeightAsStored() {
        Random random = new Random(21);
        int checked = 0;
        int[][] sizes = {{1, 1}, {17, 7}, {33, 64}, {100, 130}, {515, 300}, {2 * GemmPanels.L, 2048}};
        int[] rowCounts = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 33};
        for (int[] nk : sizes) {
            for (int m : rowCounts) {
                check(random, m, nk[0], nk[1], (m & 1) == 1, m % 3, m % 5, m % 2);
                checked++;
            }
        }
        System.out.println("PanelWeightTest: " + checked + " products checked against the double-precision loop");
    }

    @Test
    void everyRowGetsTheSameBitsAloneInABatchAndOnAnyThreads() {
        Random random = new Random(22);
        int n = 3 * GemmPanels.L + 5, k = 300, maxRows = 20;
        float[] w = randomArray(random, n * k);
        float[] a = randomArray(random, maxRows * k);
        float[] start = randomArray(random, maxRows * n);
        PanelWeight panels = PanelWeight.pack(w, 0, n, k);
        int compared = 0;
        for (boolean accumulate : new boolean[] {false, true}) {
            Workers.setThreads(1);
            float[][] alone = new float[maxRows][];
            for (int i = 0; i < maxRows; i++) {
                float[] row = java.util.Arrays.copyOfRange(a, i * k, (i + 1) * k);
                alone[i] = java.util.Arrays.copyOfRange(start, i * n, (i + 1) * n);
                panels.multiply(1, row, 0, alone[i], 0, accumulate);
            }
            for (int threads : new int[] {1, 2}) {
                Workers.setThreads(threads);
                for (int m = 1; m <= maxRows; m++) {
                    float[] c = java.util.Arrays.copyOf(start, m * n);
                    panels.multiply(m, a, 0, c, 0, accumulate);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            if (Float.floatToRawIntBits(c[i * n + j]) != Float.floatToRawIntBits(alone[i][j])) {
                                fail(String.format("m=%d threads=%d acc=%b: C[%d,%d] = %s in the batch, %s alone",
                                        m, threads, accumulate, i, j, c[i * n + j], alone[i][j]));
                            }
                            compared++;
                        }
                    }
                }
            }
        }
        Workers.setThreads(2);
        System.out.println("PanelWeightTest: " + compared + " elements compared bit for bit with rows alone");
    }

    @Test
    void rejectsBadSizesAndShortArrays() {
        assertThrows(IllegalArgumentException.class, () -> PanelWeight.pack(new float[4], 0, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> PanelWeight.pack(new float[11], 0, 3, 4));
        PanelWeight w = PanelWeight.pack(new float[12], 0, 3, 4);
        assertThrows(IndexOutOfBoundsException.class, () -> w.multiply(2, new float[7], 0, new float[6], 0, false));
        assertThrows(IndexOutOfBoundsException.class, () -> w.multiply(2, new float[8], 0, new float[5], 0, false));
        assertThrows(IllegalArgumentException.class, () -> w.multiply(-1, new float[8], 0, new float[6], 0, false));
    }

    private static void check(Random random, int m, int n, int k, boolean accumulate, int aOff, int wOff, int cOff) {
        float[] a = randomArray(random, aOff + m * k);
        float[] w = randomArray(random, wOff + n * k);
        float[] c = randomArray(random, cOff + m * n);
        float[] before = c.clone();
        PanelWeight.pack(w, wOff, n, k).multiply(m, a, aOff, c, cOff, accumulate);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = accumulate ? before[cOff + i * n + j] : 0, magnitude = Math.abs(exact);
                for (int p = 0; p < k; p++) {
                    double prod = (double) a[aOff + i * k + p] * w[wOff + j * k + p];
                    exact += prod;
                    magnitude += Math.abs(prod);
                }
                double tolerance = 2 * (k + 1) * EPS * magnitude + 1e-30;
                double got = c[cOff + i * n + j];
                assertTrue(Math.abs(got - exact) <= tolerance, String.format(
                        "m=%d n=%d k=%d acc=%b: C[%d,%d] = %s, expected %s (tolerance %s)", m, n, k, accumulate, i, j, got, exact, tolerance));
            }
        }
        for (int i = 0; i < cOff; i++) assertTrue(c[i] == before[i], "C before its offset was written");
    }

    private static float[] randomArray(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = random.nextFloat() * 2 - 1;
        return x;
    }
}
