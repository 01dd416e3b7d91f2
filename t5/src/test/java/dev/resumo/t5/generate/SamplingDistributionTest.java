package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The tokens sampling draws follow the distribution transformers samples from. The processed and
 * warped scores are compared bit for bit elsewhere (SamplingWarpersParityTest,
 * LogitsProcessorRegressionTest); this checks the draws themselves. generation-reference/
 * sampling-distribution.json (weights-tools/make_sampling_distribution_reference.py, transformers
 * 5.24) holds 7 fixed rows (vocabularies of 30-200) with a history and settings — temperature 0.7
 * and 1.5, top_k 5, top_p 0.9, the three combined, a repetition penalty on a history, every
 * processor at once — and the probabilities generate()'s processors, warpers and softmax give
 * them. Each row is drawn from {@link #DRAWS} times through {@link NextTokenScores#nextToken}, the
 * method Generator picks every sampled token with, from one {@code new Random(seed)} as one
 * generation does.
 *
 * <p>Checked per case: a token transformers gives probability 0 (cut by top-k/top-p, banned) is
 * never drawn, and Pearson's chi-square goodness-of-fit test of the counts against transformers'
 * probabilities (bins below 5 expected draws pooled) gives p > {@link #MIN_P_VALUE}.
 */
class SamplingDistributionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Draws per case. The seed is fixed, so the test is deterministic: it cannot flake, and a seed
     * that happened to fall in a correct sampler's 1e-4 tail would show at once when written (a
     * change to how the sampler uses its generator re-rolls that 1e-4 per case). The breakages
     * it must catch give, at this N, statistics far past the 1e-4 critical value (≈ 15 at df 1, 34
     * at df 9, 80 at df 39): the statistic of a wrong sampler grows as N × Σ (q - p)² / p, and the
     * smallest such divergence among the cases (the script prints them) is 0.011 (all_processors
     * with its temperature 1.5 skipped: ≈ 220 at N = 20,000, critical ≈ 34), 0.16 for temperature
     * 1.5 skipped, 0.21 for the repetition penalty skipped, 6 or more for a draw shifted by one
     * token; a skipped top-k/top-p puts tokens where transformers has none.
     */
    private static final int DRAWS = 20_000;

    /**
     * A correct sampler fails a case with probability 1e-4 (per seed), 7e-4 for all 7; a wrong one,
     * by the figures above, with a probability indistinguishable from 1. Java's and torch's
     * float32 softmax differ by ~1e-7 relative, a bias of N × 1e-14 in the statistic: nothing.
     */
    private static final double MIN_P_VALUE = 1e-4;

    private static final long SEED = 20261127L;

    @Test
    void drawsFollowTransformersDistribution() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/generation-reference/sampling-distribution.json")) {
            assertNotNull(in, "generation-reference/sampling-distribution.json is missing");
            cases = JSON.readTree(in).get("cases");
        }
        List<Executable> checks = new ArrayList<>();
        for (JsonNode c : cases) {
            String name = c.get("name").textValue();
            double[] expected = doubles(c.get("hf_probs"));
            int[] counts = draw(c, expected.length);
            int outside = 0;
            for (int t = 0; t < counts.length; t++) if (expected[t] == 0) outside += counts[t];
            ChiSquare.Result r = ChiSquare.test(counts, expected);
            System.out.printf("sampling distribution %s: %d draws, %d bins, chi-square %.1f (df %d), p = %.3g%n", name,
                    DRAWS, r.bins(), r.statistic(), r.degreesOfFreedom(), r.pValue());
            int drawnOutside = outside;
            checks.add(() -> assertEquals(0, drawnOutside, name + ": tokens transformers never draws (cut or banned) were drawn"
                    + " " + drawnOutside + " times; counts " + Arrays.toString(counts)));
            checks.add(() -> assertTrue(r.pValue() > MIN_P_VALUE, name + ": draws do not follow transformers' distribution: "
                    + r + "; counts " + Arrays.toString(counts)));
        }
        assertTrue(checks.size() >= 14, "expected the 7 reference cases, found " + checks.size() / 2);
        assertAll(checks); // every case's verdict, not only the first failure's
    }

    /** How often each token is drawn from the case's row in {@link #DRAWS} draws. */
    private static int[] draw(JsonNode c, int n) {
        GenerationConfig s = LogitsProcessorFuzzDriver.settings(c, SEED);
        assertTrue(s.doSample(), "a sampling case");
        float[] row = LogitsProcessorFuzzDriver.floats(c.get("scores"));
        int[] seq = LogitsProcessorFuzzDriver.ints(c.get("seq"));
        int eos = c.get("eos").intValue();
        Random rng = new Random(s.seed());
        // The row sits at an offset inside a larger array, as one row of a batch does; nextToken
        // overwrites it, so every draw starts from a fresh copy, as every step has fresh logits.
        int off = 7;
        float[] batch = new float[off + n + 5];
        Arrays.fill(batch, 50f);
        int[] counts = new int[n];
        for (int i = 0; i < DRAWS; i++) {
            System.arraycopy(row, 0, batch, off, n);
            counts[NextTokenScores.nextToken(batch, off, n, seq, seq.length, s, eos, rng, 0)]++;
        }
        return counts;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).doubleValue();
        return out;
    }
}
