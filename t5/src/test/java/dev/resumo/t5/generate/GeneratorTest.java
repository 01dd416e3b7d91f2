package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.t5.T5Model;
import dev.resumo.t5.TinyModels;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Generation behaviour on a tiny random model (HF parity itself is GenerationParityTest). */
class GeneratorTest {
    private static final int[] IDS = {5, 6, 7, 8, 9, 1, 10, 11, 1, 0, 0, 0};
    private static final int[] MASK = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};

    private static Generated run(T5Model m, GenerationConfig g) {
        return Generator.generate(m, IDS, MASK, 2, 6, g);
    }

    @Test
    void paddingInABatchDoesNotChangeAnOutput() {
        T5Model m = TinyModels.relu(11);
        GenerationConfig beam = GenerationConfig.beam(3, 8).withNoRepeatNgramSize(2);
        for (GenerationConfig g : new GenerationConfig[] {GenerationConfig.greedy(8), beam}) {
            Generated both = run(m, g);
            Generated alone = Generator.generate(m, new int[] {10, 11, 1}, new int[] {1, 1, 1}, 1, 3, g);
            assertArrayEquals(alone.sequences().get(0), both.sequences().get(1), "short input, padded vs alone");
        }
    }

    @Test
    void aSampledOutputDoesNotDependOnItsBatch() {
        // One generator for the whole batch gave the second row the draws the first row left over:
        // `summarize --do-sample --seed` changed a text's summary with --batch-size and with the
        // other texts of the file, and `resumo batch` (Beam bundles vary) from run to run.
        T5Model m = TinyModels.relu(11);
        GenerationConfig g = GenerationConfig.greedy(12).withSampling(1.0f, 0, 1.0f, 7);
        Generated both = run(m, g);
        Generated first = Generator.generate(m, new int[] {5, 6, 7, 8, 9, 1}, new int[] {1, 1, 1, 1, 1, 1}, 1, 6, g);
        Generated second = Generator.generate(m, new int[] {10, 11, 1}, new int[] {1, 1, 1}, 1, 3, g);
        assertArrayEquals(first.sequences().get(0), both.sequences().get(0), "first row, batched vs alone");
        assertArrayEquals(second.sequences().get(0), both.sequences().get(1), "second row, padded in a batch vs alone");
    }

    @Test
    void stopIsAskedBeforeEveryDecodingStepAndEndsTheGeneration() {
        T5Model m = TinyModels.relu(15);
        for (GenerationConfig g : new GenerationConfig[] {GenerationConfig.greedy(40).withMinNewTokens(40),
                                                          GenerationConfig.beam(3, 40).withMinNewTokens(40)}) {
            int[] asked = {0};
            assertThrows(GenerationCancelledException.class,
                    () -> Generator.generate(m, IDS, MASK, 2, 6, g, () -> ++asked[0] > 5), "beams " + g.numBeams());
            assertEquals(6, asked[0], "stopped at the sixth step of 40, beams " + g.numBeams());
            int[] never = {0};
            Generated full = Generator.generate(m, IDS, MASK, 2, 6, g, () -> ++never[0] < 0);
            assertArrayEquals(run(m, g).sequences().get(0), full.sequences().get(0), "a stop that never fires changes nothing");
            assertEquals(40, never[0], "asked once per step: 40 new tokens");
        }
    }

    @Test
    void lengthsAreRespected() {
        T5Model m = TinyModels.gatedUntied(12);
        Generated g = run(m, GenerationConfig.greedy(5).withMinNewTokens(3));
        for (int[] s : g.sequences()) {
            assertEquals(0, s[0], "starts with the decoder start token");
            assertTrue(s.length <= 6, "at most 5 new tokens");
            for (int i = 1; i <= 3 && i < s.length; i++) assertNotEquals(1, s[i], "no </s> before 3 new tokens");
        }
    }

    @Test
    void noRepeatNgramHolds() {
        T5Model m = TinyModels.relu(13);
        Generated g = run(m, GenerationConfig.greedy(30).withNoRepeatNgramSize(2));
        for (int[] s : g.sequences()) {
            Set<String> bigrams = new HashSet<>();
            for (int i = 0; i + 1 < s.length; i++) assertTrue(bigrams.add(s[i] + " " + s[i + 1]), "bigram repeated in " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void beamSearchReturnsTheRequestedNumberOfSequencesBestFirst() {
        T5Model m = TinyModels.relu(14);
        GenerationConfig one = GenerationConfig.beam(4, 8);
        GenerationConfig two = one.withBeams(4, 1.0f, GenerationConfig.EarlyStopping.FALSE, 2);
        Generated g1 = run(m, one);
        Generated g2 = run(m, two);
        assertEquals(2, g1.sequences().size());
        assertEquals(4, g2.sequences().size());
        assertArrayEquals(g1.sequences().get(0), g2.sequences().get(0));
        assertArrayEquals(g1.sequences().get(1), g2.sequences().get(2));
        assertTrue(!java.util.Arrays.equals(g2.sequences().get(0), g2.sequences().get(1)), "distinct hypotheses");
    }

    @Test
    void samplingIsRepeatableWithASeedAndTopOneIsGreedy() {
        T5Model m = TinyModels.relu(15);
        GenerationConfig s = GenerationConfig.greedy(10).withSampling(1.0f, 0, 1.0f, 42);
        assertEquals(run(m, s).sequences().stream().map(java.util.Arrays::toString).toList(),
                run(m, s).sequences().stream().map(java.util.Arrays::toString).toList());
        Generated topOne = run(m, GenerationConfig.greedy(10).withSampling(0.7f, 1, 1.0f, 3));
        Generated greedy = run(m, GenerationConfig.greedy(10));
        for (int r = 0; r < 2; r++) assertArrayEquals(greedy.sequences().get(r), topOne.sequences().get(r));
    }

    @Test
    void samplingStopsWithAnErrorWhereThereIsNothingToSampleFrom() {
        // A logit above 3.4 divided by 1e-38 overflows float32 to +inf: softmax is NaN, transformers'
        // torch.multinomial raises; Resumo drew the vocabulary's last id at every step.
        T5Model m = TinyModels.relu(15);
        var e = assertThrows(SamplingImpossibleException.class,
                () -> run(m, GenerationConfig.greedy(10).withSampling(1e-38f, 0, 1.0f, 3)));
        assertTrue(e.getMessage().startsWith("do_sample: nothing to sample from at step "), e.getMessage());
        assertTrue(e.getMessage().contains("(temperature 1.0E-38, top_k 0, top_p 1.0): a score is +inf"), e.getMessage());
        // Every token banned: no_repeat_ngram_size 1 with max_new_tokens past the vocabulary.
        int vocab = m.config().vocabSize();
        var banned = assertThrows(SamplingImpossibleException.class, () -> run(m,
                GenerationConfig.greedy(vocab + 2).withMinNewTokens(vocab + 2).withNoRepeatNgramSize(1).withSampling(1f, 0, 1f, 3)));
        assertTrue(banned.getMessage().contains("every token is banned"), banned.getMessage());
    }

    @Test
    void invalidSettingsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GenerationConfig.greedy(0))
                .getMessage().startsWith("max_new_tokens"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GenerationConfig.beam(2, 8)
                .withBeams(2, 1f, GenerationConfig.EarlyStopping.TRUE, 3)).getMessage().startsWith("num_return_sequences"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GenerationConfig.greedy(8)
                .withSampling(0f, 0, 1f, 1)).getMessage().startsWith("temperature"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GenerationConfig.greedy(8)
                .withSampling(1f, 0, 1.5f, 1)).getMessage().startsWith("top_p"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GenerationConfig.beam(2, 8)
                .withSampling(1f, 0, 1f, 1).withPromptLookup(3)).getMessage().startsWith("prompt_lookup_num_tokens"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GenerationConfig.greedy(4).withMinNewTokens(5))
                .getMessage().startsWith("min_new_tokens"));
    }
}
