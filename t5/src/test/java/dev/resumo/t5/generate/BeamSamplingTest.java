package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The draw of beam sampling's continuations ({@link BeamSampling}): 2·num_beams (beam, token) pairs
 * without replacement from softmax over every beam's accumulated scores, best score first.
 */
class BeamSamplingTest {
    private static final GenerationConfig SAMPLING = GenerationConfig.beam(2, 8).withSampling(1f, 0, 1f, 0);

    /**
     * Two pairs from two beams × three tokens: each unordered pair {i, j} is drawn with probability
     * p_i·p_j/(1 - p_i) + p_j·p_i/(1 - p_j) (successive draws without replacement, which the
     * exponential race equals in distribution). 15 outcomes, 60,000 draws, chi-square p-value above
     * 1e-4 (a correct sampler fails it once in 10,000 seeds; this seed is fixed). A sampler taking
     * the two best pairs, drawing with replacement, or drawing within one beam at a time is far off:
     * the test's own control below shows the statistic it reaches.
     */
    @Test
    void pairsAreDrawnWithoutReplacementAcrossBeams() {
        double[] p = {0.35, 0.05, 0.10, 0.30, 0.15, 0.05};
        float[] scores = new float[p.length];
        for (int i = 0; i < p.length; i++) scores[i] = (float) Math.log(p[i]) - 3f; // unnormalised: a beam's score added
        double[] expected = new double[p.length * p.length];
        for (int i = 0; i < p.length; i++) {
            for (int j = i + 1; j < p.length; j++) {
                expected[i * p.length + j] = p[i] * p[j] / (1 - p[i]) + p[j] * p[i] / (1 - p[j]);
            }
        }
        int[] counts = new int[expected.length];
        Random rng = new Random(42);
        int[] row = new int[2], token = new int[2];
        float[] value = new float[2];
        int draws = 60_000;
        for (int d = 0; d < draws; d++) {
            assertEquals(2, BeamSampling.sampleContinuations(scores, 0, 2, 3, rng, SAMPLING, 0, row, token, value));
            int a = row[0] * 3 + token[0], b = row[1] * 3 + token[1];
            assertTrue(a != b, "without replacement");
            assertTrue(value[0] >= value[1], "best score first");
            assertEquals(scores[a], value[0]);
            counts[Math.min(a, b) * p.length + Math.max(a, b)]++;
        }
        ChiSquare.Result fit = ChiSquare.test(counts, expected);
        assertTrue(fit.pValue() > 1e-4, "drawn pairs against the exact pair probabilities: " + fit);
        // Control: the same counts scored against draws *with* replacement renormalised to distinct
        // pairs (p_i·p_j·2 / Σ) must be rejected, or the test could not tell the two apart.
        double[] withReplacement = new double[expected.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = i + 1; j < p.length; j++) total += withReplacement[i * p.length + j] = 2 * p[i] * p[j];
        }
        for (int i = 0; i < withReplacement.length; i++) withReplacement[i] /= total;
        assertTrue(ChiSquare.test(counts, withReplacement).pValue() < 1e-6, "the test tells the samplers apart");
        System.out.printf("beam sampling: %d draws of 2 pairs, chi-square %s%n", draws, fit);
    }

    /**
     * Top-k left each beam two tokens and only beam 0 is alive (the first step): the two drawable
     * pairs come first whatever the draw, then the best-scoring of the rest (beam 1's), as
     * beam search would take them; never a -inf pair while a finite one is left.
     */
    @Test
    void tooFewDrawablePairsAreFilledByScore() {
        float ninf = Float.NEGATIVE_INFINITY;
        // beam 1 far below beam 0 (exp underflows: it cannot be drawn), as a dead beam's -1e9 is
        float[] scores = {-0.7f, ninf, -0.9f, ninf, /* beam 1 */ -2000f, ninf, ninf, -1000f};
        int[] row = new int[4], token = new int[4];
        float[] value = new float[4];
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(4, BeamSampling.sampleContinuations(scores, 0, 2, 4, new Random(seed), SAMPLING, 0, row, token, value));
            assertArrayEquals(new int[] {0, 0, 1, 1}, row, "seed " + seed);
            assertArrayEquals(new int[] {0, 2, 3, 0}, token, "seed " + seed);
            assertArrayEquals(new float[] {-0.7f, -0.9f, -1000f, -2000f}, value);
        }
    }

    @Test
    void rowsOfAnotherInputAreNotDrawn() {
        // Input 1's beams are rows 2-3: its pairs name those rows, and input 0's scores take no part.
        float[] scores = {0f, 0f, 0f, 0f, -1f, -2f, -3f, -4f, -5f, -6f, -7f, -8f};
        int[] row = new int[4], token = new int[4];
        float[] value = new float[4];
        BeamSampling.sampleContinuations(scores, 2, 2, 3, new Random(1), SAMPLING, 0, row, token, value);
        for (int r : row) assertTrue(r == 2 || r == 3, "row " + r);
    }

    @Test
    void noDistributionIsOneLineNamingTheStep() {
        float ninf = Float.NEGATIVE_INFINITY;
        float[] banned = {ninf, ninf, ninf, ninf};
        var e = assertThrows(SamplingImpossibleException.class, () -> BeamSampling.sampleContinuations(banned, 0, 2, 2,
                new Random(0), SAMPLING, 4, new int[4], new int[4], new float[4]));
        assertTrue(e.getMessage().startsWith("do_sample: nothing to sample from at step 5 (num_beams 2"), e.getMessage());
        assertTrue(e.getMessage().contains("every token is banned"), e.getMessage());
    }
}
