package dev.resumo.t5.generate;

import static dev.resumo.t5.generate.TwoInputs.BOTH;
import static dev.resumo.t5.generate.TwoInputs.BOTH_MASK;
import static dev.resumo.t5.generate.TwoInputs.FIRST;
import static dev.resumo.t5.generate.TwoInputs.SECOND;
import static dev.resumo.t5.generate.TwoInputs.alone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Autograd;
import dev.resumo.t5.Dropout;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.TinyModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Beam sampling (do_sample with num_beams > 1) on a tiny random model: draws that follow the seed
 * alone, that vary with it, and hypotheses whose scores are the warped log-probabilities of the
 * tokens they hold. Parity with transformers where the draw is forced is TransformersGenerateParityTest.
 */
class BeamSamplingGenerationTest {

    @Test
    void anInputsDrawsDependOnTheSeedOnlyNotOnItsBatch() {
        T5Model m = TinyModels.relu(11);
        GenerationConfig g = GenerationConfig.beam(3, 10).withSampling(1.5f, 0, 1f, 7);
        Generated both = Generator.generate(m, BOTH, BOTH_MASK, 2, 6, g);
        Generated again = Generator.generate(m, BOTH, BOTH_MASK, 2, 6, g);
        Generated first = alone(m, FIRST, g), second = alone(m, SECOND, g);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(again.sequences().get(i), both.sequences().get(i), "same seed, same draws: row " + i);
        }
        assertArrayEquals(first.sequences().get(0), both.sequences().get(0), "first input, batched vs alone");
        assertArrayEquals(second.sequences().get(0), both.sequences().get(1), "second input, padded in a batch vs alone");
        assertEquals(first.sequenceScores()[0], both.sequenceScores()[0], 1e-5f * Math.abs(first.sequenceScores()[0]));
    }

    /** Twelve seeds at temperature 2: several different outputs, where beam search gives one. */
    @Test
    void drawsVaryWithTheSeedWhereBeamSearchDoesNot() {
        T5Model m = TinyModels.relu(11);
        List<Integer> beamSearch = list(alone(m, FIRST, GenerationConfig.beam(3, 10)).sequences().get(0));
        Set<List<Integer>> sampled = new HashSet<>();
        for (long seed = 0; seed < 12; seed++) {
            sampled.add(list(alone(m, FIRST, GenerationConfig.beam(3, 10).withSampling(2f, 0, 1f, seed)).sequences().get(0)));
        }
        assertTrue(sampled.size() >= 3, "12 seeds gave " + sampled.size() + " outputs: " + sampled);
        sampled.remove(beamSearch);
        assertTrue(sampled.size() >= 2, "outputs besides beam search's: " + sampled);
    }

    /**
     * Each returned hypothesis scores Σ_t log p(token_t | earlier tokens) / temperature / length
     * (length_penalty 1; no processor or cut is on, so the warped log-probability is the
     * log-probability over the temperature, as transformers accumulates it). The log-probabilities
     * are recomputed by one teacher-forced pass over the hypothesis: the beams' reordering of the
     * key/value caches under drawn (not best-first) continuations must leave each hypothesis with
     * its own history. Tolerance 1e-4 relative: the incremental and the teacher-forced pass round
     * differently (~1e-6 per log-probability).
     */
    @Test
    void scoresAreTheWarpedLogProbabilitiesOfTheReturnedTokens() {
        T5Model m = TinyModels.relu(11);
        float temperature = 0.5f;
        GenerationConfig g = GenerationConfig.beam(4, 9).withBeams(4, 1f, GenerationConfig.EarlyStopping.FALSE, 4)
                .withSampling(temperature, 0, 1f, 3);
        Generated out = alone(m, FIRST, g);
        assertEquals(4, out.sequences().size());
        int vocab = m.config().vocabSize();
        for (int h = 0; h < 4; h++) {
            int[] seq = out.sequences().get(h);
            int generated = seq.length - 1;
            double sum = 0;
            try (var _ = Autograd.noGrad()) {
                int[] mask = new int[FIRST.length];
                Arrays.fill(mask, 1);
                var enc = m.encode(FIRST, mask, 1, FIRST.length, Dropout.OFF);
                float[] logits = m.logits(m.decode(Arrays.copyOf(seq, generated), 1, generated, enc, mask, Dropout.OFF)).toArray();
                for (int t = 0; t < generated; t++) sum += logSoftmaxAt(logits, t * vocab, vocab, seq[t + 1]);
            }
            double expected = sum / temperature / generated;
            assertEquals(expected, out.sequenceScores()[h], 1e-4 * Math.abs(expected), "hypothesis " + h + ": " + Arrays.toString(seq));
        }
    }

    private static double logSoftmaxAt(float[] a, int off, int n, int at) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) max = Math.max(max, a[i]);
        double sum = 0;
        for (int i = off; i < off + n; i++) sum += Math.exp(a[i] - max);
        return a[off + at] - max - Math.log(sum);
    }

    private static List<Integer> list(int[] a) {
        List<Integer> out = new ArrayList<>();
        for (int v : a) out.add(v);
        return out;
    }
}
