package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every layout of {@link Gemm#gemm} against a double-precision triple loop: odd sizes that leave
 * tails in every tile and block dimension, T5 sizes, accumulate on and off, nonzero offsets.
 *
 * <p>Tolerance: float sums of k products carry a rounding error of at most about k · eps ·
 * Σ|a||b| (eps = 2^-24); we allow {@code 2 · k · eps · Σ|a||b|} per element, plus a tiny
 * absolute floor for exact zeros. A wrong index, a missing tail or a lost block shows up as an
 * error of order |a||b| itself, far above this bound.
 */
class GemmTest {
    private static final double EPS = Math.ulp(1f) / 2; // 2^-24, unit roundoff of float

    @BeforeAll
    static void twoThreads() {
        Workers.setThreads(2); // exercise the parallel paths even on a 1-core runner
    }

    @AfterAll
    static void restore() {
        Workers.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void oddSizesEveryLayoutAccumulateAndOffsets() {
        int[] sizes = {1, 7, 33, 65, 127};
        int checked = 0;
        Random random = new Random(42);
        for (int m : sizes) {
            for (int n : sizes) {
                for (int k : sizes) {
                    for (int layout = 0; layout < 4; layout++) {
                        boolean accumulate = ((m + n + k + layout) & 1) == 0;
                        check(random, layout >= 2, (layout & 1) == 1, m, n, k, accumulate, 3, 5, 7);
                        checked++;
                    }
                }
            }
        }
        System.out.println("GemmTest: " + checked + " odd-size cases checked");
    }

    @Test
    void sizesThatCrossEveryCacheBlock() {
        // Larger than KC, MC and a tile in every dimension, with tails everywhere.
        int m = GemmPlan.MC + GemmMicroKernel.MR + 5;
        int n = 3 * GemmMicroKernel.NR + 9;
        int k = GemmPlan.KC + 37;
        Random random = new Random(7);
        for (int layout = 0; layout < 4; layout++) {
            check(random, layout >= 2, (layout & 1) == 1, m, n, k, false, 0, 0, 0);
            check(random, layout >= 2, (layout & 1) == 1, m, n, k, true, 11, 13, 17);
        }
        // A long depth takes the long-K block sizes; cross them too.
        int longK = GemmPlan.LONG_K + GemmPlan.LONG_KC + 3;
        check(random, false, true, 40, GemmPlan.LONG_NC + 7, longK, false, 0, 0, 0);
        check(random, true, false, 40, GemmPlan.LONG_NC + 7, longK, true, 0, 0, 0);
    }

    @Test
    void wideProductSplitsByColumns() {
        // n much larger than m takes the column-chunk path (the lm_head shape, shrunk).
        Random random = new Random(3);
        for (int layout = 0; layout < 3; layout++) {
            check(random, layout == 2, layout == 1, 37, 2100, 70, layout == 1, 1, 2, 3);
        }
    }

    @Test
    void fewRowsStreamWeightsInPlace() {
        // Decoding shapes (M ≤ GemmSkinny.MAX_M, no packing): every row-group tail, both B layouts,
        // N split across workers, K with a vector tail.
        Random random = new Random(11);
        int checked = 0;
        for (int m : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 13, GemmSkinny.MAX_M}) {
            for (boolean transB : new boolean[] {false, true}) {
                check(random, false, transB, m, 3001, 515, (m & 1) == 1, 2, 3, 4);
                check(random, false, transB, m, 37, 64, (m & 1) == 0, 0, 0, 0);
                check(random, false, transB, m, 16, 130, (m & 1) == 1, 1, 0, 5);
                check(random, false, transB, m, 45, 23, (m & 1) == 0, 0, 7, 0);
                checked += 4;
            }
        }
        System.out.println("GemmTest: " + checked + " few-row cases checked");
    }

    @Test
    void rowBlocksSharingOnePackedAAcrossColumnBlocksGiveTheOneThreadBits() {
        // M ≥ 1024 and N beyond one column block: the parallel path packs A once per depth block
        // and shares it (GemmPlan.rowBlocksSharedA). Every layout, a partial last row sliver and
        // column block, two depth blocks, with and without accumulate, against one thread's bits.
        Random random = new Random(33);
        int m = 1030, n = 1100, k = 600;
        float[] a = randomArray(random, m * k), b = randomArray(random, k * n), start = randomArray(random, m * n);
        int checked = matchesOneThread(m, n, k, a, b, start, (ta, tb, accumulate, c) -> { });
        // And the values themselves, at a few points, against a double-precision dot product.
        float[] c = new float[m * n];
        Gemm.gemm(false, false, m, n, k, a, 0, b, 0, c, 0, false);
        for (int[] ij : new int[][] {{0, 0}, {1029, 1099}, {517, 640}}) {
            double dot = 0;
            for (int p = 0; p < k; p++) dot += (double) a[ij[0] * k + p] * b[p * n + ij[1]];
            assertEquals(dot, c[ij[0] * n + ij[1]], 1e-3, "C" + java.util.Arrays.toString(ij));
        }
        System.out.println("GemmTest: " + checked + " shared-A row-block cases match one thread");
    }

    @Test
    void fewRowsGiveEveryRowTheSameBitsWhateverMAndThreads() {
        // Decoding needs a row's result to be the same alone, in a batch of any size, and for any
        // thread split (greedy summaries must not change with the batch). Each row of an M-row
        // A·Bᵀ must equal, bit for bit, the same row computed alone (M = 1) on one thread, small
        // products (8×8, 32×32: below the packing threshold) included.
        Random random = new Random(21);
        int checked = 0;
        for (int[] nk : new int[][] {{37, 64}, {16, 16}, {53, 19}, {1000, 515}, {130, 2050}, {5, 7}, {8, 8}, {32, 32}}) {
            int n = nk[0], k = nk[1];
            float[] a = randomArray(random, GemmSkinny.MAX_M * k);
            float[] b = randomArray(random, n * k);
            float[] start = randomArray(random, GemmSkinny.MAX_M * n);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[][] alone = new float[GemmSkinny.MAX_M][];
                Workers.setThreads(1);
                try {
                    for (int i = 0; i < GemmSkinny.MAX_M; i++) {
                        float[] row = new float[k];
                        System.arraycopy(a, i * k, row, 0, k);
                        alone[i] = new float[n];
                        System.arraycopy(start, i * n, alone[i], 0, n);
                        Gemm.gemm(false, true, 1, n, k, row, 0, b, 0, alone[i], 0, accumulate);
                    }
                } finally {
                    Workers.setThreads(2);
                }
                for (int m = 1; m <= GemmSkinny.MAX_M; m++) {
                    float[] c = java.util.Arrays.copyOf(start, m * n);
                    Gemm.gemm(false, true, m, n, k, a, 0, b, 0, c, 0, accumulate);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            if (Float.floatToRawIntBits(c[i * n + j]) != Float.floatToRawIntBits(alone[i][j])) {
                                fail(String.format("m=%d n=%d k=%d acc=%b: C[%d,%d] = %s in the batch, %s alone",
                                        m, n, k, accumulate, i, j, c[i * n + j], alone[i][j]));
                            }
                        }
                    }
                    checked++;
                }
            }
        }
        System.out.println("GemmTest: " + checked + " few-row products compared bit for bit with rows alone");
    }

    @Test
    void laneTreeGroupsEachSumAsFixedOrderSum() {
        // The few-row kernel reduces L accumulators at once; each sum must have the bits of
        // FixedOrderSum.sum of that accumulator (the grouping the rest of the engine uses).
        Random random = new Random(5);
        int lanes = LaneTree.L;
        for (int trial = 0; trial < 200; trial++) {
            float[][] v = new float[lanes][];
            for (int i = 0; i < lanes; i++) {
                v[i] = randomArray(random, lanes);
                for (int l = 0; l < lanes; l++) v[i][l] *= (float) Math.pow(10, random.nextInt(9) - 4); // rounding matters
            }
            float[][] level = v;
            for (int s = 0; s < LaneTree.STEPS; s++) {
                float[][] next = new float[level.length / 2][];
                for (int i = 0; i < next.length; i++) {
                    next[i] = new float[lanes];
                    LaneTree.step(s, jdk.incubator.vector.FloatVector.fromArray(LaneTree.S, level[2 * i], 0),
                            jdk.incubator.vector.FloatVector.fromArray(LaneTree.S, level[2 * i + 1], 0)).intoArray(next[i], 0);
                }
                level = next;
            }
            float[] sums = new float[lanes];
            LaneTree.toColumns(jdk.incubator.vector.FloatVector.fromArray(LaneTree.S, level[0], 0)).intoArray(sums, 0);
            for (int i = 0; i < lanes; i++) {
                float expected = FixedOrderSum.sum(jdk.incubator.vector.FloatVector.fromArray(LaneTree.S, v[i], 0));
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(sums[i]), "sum " + i + " of trial " + trial);
            }
        }
    }

    @Test
    void t5Sizes() {
        Random random = new Random(5);
        // Tall activations times a weight: 64×512 · 512×512, in the three training layouts.
        check(random, false, false, 64, 512, 512, false, 0, 0, 0);
        check(random, false, true, 64, 512, 512, true, 0, 0, 0);
        check(random, true, false, 512, 512, 64, false, 0, 0, 0);
        // A slice of 2048×512 · 512×2048 (the FFN up-projection): 200 rows, 300 columns.
        check(random, false, false, 200, 300, 512, false, 0, 0, 0);
        // A slice of the dW = Xᵀ · dY product over 2048 tokens.
        check(random, true, false, 96, 130, 2048, true, 0, 0, 0);
    }

    @Test
    void columnChunksSharingOnePackedAGiveTheOneThreadBits() {
        // Fewer than 768 rows split by columns; with two or more column blocks per thread the
        // workers pack each depth block's A panel together and share it
        // (GemmPlan.columnChunksSharedA). A partial last row sliver, three depth
        // blocks, a partial last column block, every layout, with and without accumulate.
        Random random = new Random(44);
        int m = 515, n = 2100, k = 1100;
        int kcBlock = GemmPlan.ceilDiv(k, GemmPlan.ceilDiv(k, GemmPlan.LONG_KC));
        assertTrue(GemmPlan.sharesAcrossColumns(m, n, kcBlock, GemmPlan.LONG_NC, 2), "this shape must take the shared-A path");
        float[] a = randomArray(random, m * k), b = randomArray(random, k * n), start = randomArray(random, m * n);
        int checked = matchesOneThread(m, n, k, a, b, start, (ta, tb, accumulate, shared) -> {
            // A few elements against the scalar FMA chain itself.
            for (int[] ij : new int[][] {{0, 0}, {514, 2099}, {300, 1500}}) {
                int i = ij[0], j = ij[1];
                float chain = accumulate ? start[i * n + j] : 0f;
                for (int p = 0; p < k; p++) {
                    chain = Math.fma(ta ? a[p * m + i] : a[i * k + p], tb ? b[j * k + p] : b[p * n + j], chain);
                }
                assertEquals(Float.floatToRawIntBits(chain), Float.floatToRawIntBits(shared[i * n + j]),
                        "C" + java.util.Arrays.toString(ij) + " ta=" + ta + " tb=" + tb + " acc=" + accumulate);
            }
        });
        System.out.println("GemmTest: " + checked + " shared-A column-chunk cases match one thread");
    }

    /** Receives each two-thread result of {@link #matchesOneThread}. */
    private interface TwoThreadResult {
        void check(boolean ta, boolean tb, boolean accumulate, float[] c);
    }

    /**
     * Every layout, with and without accumulate: the product on two threads must have one thread's
     * bits; each two-thread result then goes to {@code more}. Returns the number of cases.
     */
    private static int matchesOneThread(int m, int n, int k, float[] a, float[] b, float[] start, TwoThreadResult more) {
        int checked = 0;
        for (int layout = 0; layout < 4; layout++) {
            boolean ta = (layout & 1) != 0, tb = (layout & 2) != 0;
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] alone = start.clone(), shared = start.clone();
                Workers.setThreads(1);
                try {
                    Gemm.gemm(ta, tb, m, n, k, a, 0, b, 0, alone, 0, accumulate);
                } finally {
                    Workers.setThreads(2);
                }
                Gemm.gemm(ta, tb, m, n, k, a, 0, b, 0, shared, 0, accumulate);
                for (int i = 0; i < alone.length; i++) {
                    if (Float.floatToRawIntBits(alone[i]) != Float.floatToRawIntBits(shared[i])) {
                        fail(String.format("ta=%b tb=%b acc=%b: C[%d,%d] = %s on two threads, %s on one",
                                ta, tb, accumulate, i / n, i % n, shared[i], alone[i]));
                    }
                }
                more.check(ta, tb, accumulate, shared);
                checked++;
            }
        }
        return checked;
    }

    @Test
    void packedProductsAreOneFmaChainPerElementWhateverTheBlocking() {
        // Depths below, at and across the depth blocks (several of them, unequal remainders), edge
        // tiles in both directions, every layout, accumulate on and off, 1 and 2 threads: each
        // element must be exactly the scalar chain c = fma(a[i][p], b[p][j], c) for p = 0..K-1,
        // from 0 or from C's old value. (With C added to a block's separate sum at the end, as
        // before, elements of products deeper than one block differed in the last bits.)
        Random random = new Random(21);
        int[][] sizes = {{40, 70, 300}, {37, 45, 513}, {30, 100, 1300}, {150, 33, 2100}};
        for (int threads : new int[] {2, 1}) {
            Workers.setThreads(threads);
            try {
                for (int[] size : sizes) {
                    int m = size[0], n = size[1], k = size[2];
                    for (int layout = 0; layout < 4; layout++) {
                        boolean transA = layout >= 2, transB = (layout & 1) == 1;
                        for (boolean accumulate : new boolean[] {false, true}) {
                            float[] a = randomArray(random, m * k), b = randomArray(random, k * n);
                            float[] c = randomArray(random, m * n);
                            float[] before = c.clone();
                            Gemm.gemm(transA, transB, m, n, k, a, 0, b, 0, c, 0, accumulate);
                            for (int i = 0; i < m; i++) {
                                for (int j = 0; j < n; j++) {
                                    float chain = accumulate ? before[i * n + j] : 0f;
                                    for (int p = 0; p < k; p++) {
                                        float x = transA ? a[p * m + i] : a[i * k + p];
                                        float y = transB ? b[j * k + p] : b[p * n + j];
                                        chain = Math.fma(x, y, chain);
                                    }
                                    if (Float.floatToRawIntBits(chain) != Float.floatToRawIntBits(c[i * n + j])) {
                                        fail(String.format("m=%d n=%d k=%d transA=%b transB=%b acc=%b threads=%d: "
                                                + "C[%d][%d] = %s, the FMA chain gives %s", m, n, k, transA, transB,
                                                accumulate, threads, i, j, c[i * n + j], chain));
                                    }
                                }
                            }
                        }
                    }
                }
            } finally {
                Workers.setThreads(2);
            }
        }
    }

    @Test
    void concurrentCallersGetTheirOwnAnswers() throws Exception {
        // Two threads share the one pool: one of them runs in parallel, the other falls back to
        // its own thread while the pool is busy; both must get exactly their own product.
        int m = 150, n = 140, k = 300;
        Random random = new Random(11);
        float[][] a = {randomArray(random, m * k), randomArray(random, m * k)};
        float[] b = randomArray(random, k * n);
        float[][] expected = new float[2][m * n];
        for (int t = 0; t < 2; t++) Gemm.gemm(false, true, m, n, k, a[t], 0, b, 0, expected[t], 0, false);
        float[][] got = new float[2][m * n];
        Thread other = new Thread(() -> {
            for (int r = 0; r < 30; r++) Gemm.gemm(false, true, m, n, k, a[1], 0, b, 0, got[1], 0, false);
        });
        other.start();
        for (int r = 0; r < 30; r++) Gemm.gemm(false, true, m, n, k, a[0], 0, b, 0, got[0], 0, false);
        other.join();
        // Same blocking on every path, so the sums are bit-identical.
        assertArrayEquals(expected[0], got[0]);
        assertArrayEquals(expected[1], got[1]);
    }

    @Test
    void zeroDepthClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4};
        Gemm.gemm(false, false, 2, 2, 0, new float[0], 0, new float[0], 0, c, 0, true);
        assertEquals(10f, c[0] + c[1] + c[2] + c[3], "accumulate with k = 0 leaves C as is");
        Gemm.gemm(false, false, 2, 2, 0, new float[0], 0, new float[0], 0, c, 0, false);
        assertEquals(0f, Math.abs(c[0]) + Math.abs(c[1]) + Math.abs(c[2]) + Math.abs(c[3]), "k = 0 gives C = 0");
    }

    @Test
    void rejectsArraysTooSmall() {
        assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.gemm(false, false, 4, 4, 4, new float[15], 0, new float[16], 0, new float[16], 0, false));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, -1, 4, 4, new float[16], 0, new float[16], 0, new float[16], 0, false));
    }

    @Test
    void singleThreadGivesTheSameAnswer() {
        Workers.setThreads(1);
        try {
            Random random = new Random(9);
            check(random, false, true, 130, 150, 300, false, 0, 0, 0);
            check(random, true, false, 130, 150, 300, true, 0, 0, 0);
        } finally {
            Workers.setThreads(2);
        }
    }

    /** Runs one product and compares every element of C with the double-precision reference. */
    @Test
    void stridedOperandsGiveTheCompactProductAndLeaveTheRestOfCAlone() {
        // One head's block of a [rows, heads·d] layout, as the fused attention multiplies it: every
        // layout, accumulate on and off, small products (gathered) and packed ones (in place).
        Random random = new Random(31);
        int checked = 0;
        for (int[] mnk : new int[][] {{5, 7, 3}, {12, 9, 16}, {256, 256, 64}, {256, 64, 256}, {70, 45, 33}}) {
            int m = mnk[0], n = mnk[1], k = mnk[2];
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    boolean accumulate = (m + (transA ? 1 : 0) + (transB ? 2 : 0)) % 2 == 0;
                    int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
                    int lda = aCols + 13, ldb = bCols + 5, ldc = n + 21, aOff = 3, bOff = 7, cOff = 11;
                    float[] a = randomArray(random, aOff + aRows * lda), b = randomArray(random, bOff + bRows * ldb);
                    float[] c = randomArray(random, cOff + m * ldc);
                    float[] ca = new float[aRows * aCols], cb = new float[bRows * bCols], cc = new float[m * n];
                    for (int r = 0; r < aRows; r++) System.arraycopy(a, aOff + r * lda, ca, r * aCols, aCols);
                    for (int r = 0; r < bRows; r++) System.arraycopy(b, bOff + r * ldb, cb, r * bCols, bCols);
                    for (int r = 0; r < m; r++) System.arraycopy(c, cOff + r * ldc, cc, r * n, n);
                    float[] before = c.clone();
                    Gemm.gemm(transA, transB, m, n, k, ca, 0, cb, 0, cc, 0, accumulate);
                    Gemm.gemmStrided(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
                    for (int i = 0; i < c.length; i++) {
                        int r = (i - cOff) / ldc, col = (i - cOff) % ldc;
                        boolean inside = i >= cOff && r < m && col < n;
                        float expected = inside ? cc[r * n + col] : before[i];
                        assertEquals(expected, c[i], inside ? 1e-4f * k : 0f, String.format(
                                "m=%d n=%d k=%d transA=%b transB=%b acc=%b: C[%d] (%s)", m, n, k, transA, transB, accumulate, i,
                                inside ? "in the block" : "outside the block: must not change"));
                    }
                    checked++;
                }
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemmStrided(false, false, 2, 2, 3, new float[6], 0, 2, new float[6], 0, 2, new float[4], 0, 2, false));
        System.out.println("GemmTest: " + checked + " strided products checked against the compact ones");
    }

    private static void check(Random random, boolean transA, boolean transB, int m, int n, int k,
                              boolean accumulate, int aOff, int bOff, int cOff) {
        float[] a = randomArray(random, aOff + m * k + 3);
        float[] b = randomArray(random, bOff + k * n + 3);
        float[] c = randomArray(random, cOff + m * n + 3);
        float[] before = c.clone();
        Gemm.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? before[cOff + i * n + j] : 0;
                double magnitude = accumulate ? Math.abs(sum) : 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    double bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    sum += av * bv;
                    magnitude += Math.abs(av * bv);
                }
                double tolerance = 2 * (k + 1) * EPS * magnitude + 1e-30;
                double got = c[cOff + i * n + j];
                if (!(Math.abs(got - sum) <= tolerance)) {
                    fail(String.format("%s%s m=%d n=%d k=%d acc=%b: C[%d,%d] = %s, expected %s (tolerance %.3g)",
                            transA ? "Aᵀ" : "A", transB ? "·Bᵀ" : "·B", m, n, k, accumulate, i, j, got, sum, tolerance));
                }
            }
        }
        // Nothing outside C may be written.
        for (int i = 0; i < cOff; i++) assertEquals(before[i], c[i], "C written before its offset");
        for (int i = cOff + m * n; i < c.length; i++) assertEquals(before[i], c[i], "C written past its end");
    }

    private static float[] randomArray(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = random.nextFloat() * 2 - 1;
        return x;
    }
}
