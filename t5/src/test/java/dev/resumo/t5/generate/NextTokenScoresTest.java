package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NextTokenScoresTest {
    private static final float NEG = Float.NEGATIVE_INFINITY;

    @Test
    void repeatedTrigramsAreBanned() {
        // sequence 0 5 6 7 5 6: the trigram "5 6 7" exists, so after "... 5 6" token 7 is banned
        int[] seq = {0, 5, 6, 7, 5, 6};
        float[] s = new float[10];
        NextTokenScores.banRepeatedNgrams(s, 0, seq, seq.length, 3);
        for (int t = 0; t < 10; t++) assertEquals(t == 7 ? NEG : 0f, s[t], "token " + t);
        // bigrams: after "6", tokens that followed 6 before (7) are banned
        float[] b = new float[10];
        NextTokenScores.banRepeatedNgrams(b, 0, seq, seq.length, 2);
        assertEquals(NEG, b[7]);
        assertEquals(0f, b[5]);
        // too short to hold a full n-gram: nothing banned
        float[] c = new float[10];
        NextTokenScores.banRepeatedNgrams(c, 0, new int[] {0}, 1, 3);
        assertArrayEquals(new float[10], c);
    }

    @Test
    void repetitionPenaltyScalesEachPreviousTokenOnceBySign() {
        // row at offset 3 of a larger array; tokens 0 (start), 2, 4, 2 so far: 2 appears twice, 1 and 3 not at all
        float[] s = {9, 9, 9, -1.5f, 7f, 3f, 0.5f, -2f, 8f};
        NextTokenScores.penalizeRepeats(s, 3, new int[] {0, 2, 4, 2}, 4, 2f);
        assertArrayEquals(new float[] {9, 9, 9, -3f, 7f, 1.5f, 0.5f, -4f, 8f}, s,
                "negative times the penalty, positive divided, once per distinct token, others untouched");
        float[] t = {-1f, 4f, 0f, NEG};
        NextTokenScores.penalizeRepeats(t, 0, new int[] {0, 1, 2, 3}, 4, 0.5f);
        assertArrayEquals(new float[] {-0.5f, 8f, 0f, NEG}, t, "a penalty below 1 favours repeats; zero and -inf stay");
        float[] u = {1f, -1f};
        NextTokenScores.penalizeRepeats(u, 0, new int[] {0, 1}, 2, 1f);
        assertArrayEquals(new float[] {1f, -1f}, u, "1 = off");
        float[] v = {1f, 2f, 3f};
        NextTokenScores.penalizeRepeats(v, 0, new int[] {2, 1, 0}, 1, 3f);
        assertArrayEquals(new float[] {1f, 2f, 1f}, v, "only seq[0..len) counts");
    }

    @Test
    void eosIsBannedBeforeMinNewTokens() {
        float[] s = new float[4];
        NextTokenScores.banEosBefore(s, 0, 2, 3, 1);
        assertEquals(NEG, s[1]);
        float[] t = new float[4];
        NextTokenScores.banEosBefore(t, 0, 3, 3, 1);
        assertEquals(0f, t[1]);
    }

    @Test
    void logSoftmaxNormalises() {
        float[] s = {1f, 2f, 3f, 0.5f};
        NextTokenScores.logSoftmax(s, 0, 4);
        double total = 0;
        for (float v : s) total += Math.exp(v);
        assertEquals(1.0, total, 1e-6);
        assertEquals(-0.4608, s[2], 1e-3); // 3 - ln(2.718 + 7.389 + 20.086 + 1.649) = 3 - 3.4608
    }

    @Test
    void topKKeepsTiesWithTheKth() {
        float[] s = {1f, 5f, 3f, 3f, 0f};
        NextTokenScores.topK(s, 0, 5, 2);
        assertArrayEquals(new float[] {NEG, 5f, 3f, 3f, NEG}, s);
    }

    /**
     * The heap's k-th largest is the sorted copy's value at n - k (what top-k compared with before):
     * rows with ties, -inf, -0.0 / 0.0 and NaN, k from 1 to past the heap's limit (1024: the sort).
     */
    @Test
    void kthLargestIsTheSortedRowsValue() {
        Random rng = new Random(3);
        int checked = 0;
        for (int trial = 0; trial < 400; trial++) {
            int n = 2 + rng.nextInt(trial < 380 ? 300 : 3000);
            float[] row = new float[n + 5];
            for (int i = 0; i < row.length; i++) {
                int kind = rng.nextInt(20);
                row[i] = kind == 0 ? NEG : kind == 1 ? -0.0f : kind == 2 ? 0.0f : kind == 3 ? Float.NaN
                        : kind < 8 ? rng.nextInt(4) : (float) rng.nextGaussian();
            }
            int k = 1 + rng.nextInt(n);
            float[] sorted = java.util.Arrays.copyOfRange(row, 5, 5 + n);
            java.util.Arrays.sort(sorted);
            assertEquals(Float.floatToIntBits(sorted[n - k]), Float.floatToIntBits(NextTokenScores.kthLargest(row, 5, n, k)),
                    "n " + n + ", k " + k);
            checked++;
        }
        assertEquals(400, checked);
    }

    /**
     * top-p orders only the finite scores, by packed keys: the same cut as ordering every index with a
     * stable sort by Float.compare (the previous code, kept here as the oracle), on rows with ties,
     * -inf, -0.0 / 0.0, NaN and +inf, for p and min_tokens_to_keep 1 and 2.
     */
    @Test
    void topPCutsAsTheStableSortOfEveryIndexDid() {
        Random rng = new Random(11);
        for (int trial = 0; trial < 3000; trial++) {
            int n = 1 + rng.nextInt(60);
            float[] row = new float[n + 2];
            for (int i = 0; i < row.length; i++) {
                int kind = rng.nextInt(30);
                row[i] = kind < 6 ? NEG : kind == 6 ? -0.0f : kind == 7 ? 0.0f : kind == 8 && trial % 50 == 0 ? Float.NaN
                        : kind == 9 && trial % 70 == 0 ? Float.POSITIVE_INFINITY : kind < 16 ? rng.nextInt(3) : (float) rng.nextGaussian() * 2;
            }
            float p = rng.nextBoolean() ? 0.05f * (1 + rng.nextInt(19)) : rng.nextFloat();
            if (p <= 0f) p = 0.5f;
            int keep = 1 + rng.nextInt(2);
            float[] expected = row.clone(), got = row.clone();
            oldTopP(expected, 2, n, p, keep);
            NextTokenScores.topP(got, 2, n, p, keep);
            for (int i = 0; i < row.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]),
                        "trial " + trial + ", p " + p + ", keep " + keep + ", index " + i + ": " + java.util.Arrays.toString(row));
            }
        }
    }

    private static void oldTopP(float[] a, int off, int n, float p, int minTokensToKeep) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Float.compare(a[off + x], a[off + y]));
        float[] probs = NextTokenScores.softmax(a, off, n);
        float cut = (float) (1.0 - Double.parseDouble(Float.toString(p)));
        double cumulative = 0;
        for (int r = 0; r < n - minTokensToKeep; r++) {
            cumulative += probs[order[r]];
            if ((float) cumulative <= cut) a[off + order[r]] = Float.NEGATIVE_INFINITY;
            else break;
        }
    }

    @Test
    void minTokensToKeepRaisesTopKAndHoldsUnderTopP() {
        float[] k1 = {1f, 5f, 3f, 2f};
        NextTokenScores.topK(k1, 0, 4, 1, 2);
        assertArrayEquals(new float[] {NEG, 5f, 3f, NEG}, k1, "top_k 1 keeps 2 (beam sampling)");
        float[] p = {3f, 2f, 1f, 0f};
        NextTokenScores.topP(p, 0, 4, 0.1f, 2);
        assertArrayEquals(new float[] {3f, 2f, NEG, NEG}, p, "top_p keeps the 2 best");
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // probabilities ≈ 0.644, 0.237, 0.087, 0.032
        float[] s = {3f, 2f, 1f, 0f};
        NextTokenScores.topP(s, 0, 4, 0.85f);
        assertArrayEquals(new float[] {3f, 2f, NEG, NEG}, s);
        float[] one = {3f, 2f, 1f, 0f};
        NextTokenScores.topP(one, 0, 4, 0.1f);
        assertArrayEquals(new float[] {3f, NEG, NEG, NEG}, one, "the best token always stays");
    }

    @Test
    void samplingFollowsTheDistribution() {
        float[] s = {0f, (float) Math.log(3), NEG};
        Random rng = new Random(7);
        int[] counts = new int[3];
        for (int i = 0; i < 4000; i++) counts[NextTokenScores.sample(s, 0, 3, rng)]++;
        assertEquals(0, counts[2], "-inf is never drawn");
        assertTrue(Math.abs(counts[1] / 4000.0 - 0.75) < 0.03, "p(1) ≈ 0.75, got " + counts[1] / 4000.0);
    }
}
