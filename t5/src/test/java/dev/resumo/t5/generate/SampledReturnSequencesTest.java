package dev.resumo.t5.generate;

import static dev.resumo.t5.generate.TwoInputs.BOTH;
import static dev.resumo.t5.generate.TwoInputs.BOTH_MASK;
import static dev.resumo.t5.generate.TwoInputs.FIRST;
import static dev.resumo.t5.generate.TwoInputs.SECOND;
import static dev.resumo.t5.generate.TwoInputs.alone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.t5.T5Model;
import dev.resumo.t5.TinyModels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * num_return_sequences with sampling and one beam (transformers' sample mode expands each input
 * that many times): N rows per input, input by input, each an independent draw — copy 0 the draw
 * a one-sequence run makes, copy j the draw a one-sequence run seeded with
 * {@link Generator#copySeed} makes, whatever the batch.
 */
class SampledReturnSequencesTest {

    private static GenerationConfig sampling(long seed) {
        return GenerationConfig.greedy(10).withSampling(2f, 0, 1f, seed);
    }

    @Test
    void eachInputGetsItsCopiesInOrderEachTheDrawOfItsOwnSeed() {
        T5Model m = TinyModels.relu(11);
        int copies = 4;
        Generated both = Generator.generate(m, BOTH, BOTH_MASK, 2, 6, sampling(7).withNumReturnSequences(copies));
        assertEquals(copies, both.numReturnSequences());
        assertEquals(2 * copies, both.sequences().size());
        int[][] inputs = {FIRST, SECOND};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < copies; j++) {
                Generated single = alone(m, inputs[i], sampling(Generator.copySeed(7, j)));
                assertEquals(1, single.numReturnSequences());
                assertArrayEquals(single.sequences().get(0), both.sequences().get(i * copies + j),
                        "input " + i + " copy " + j + ": batched with other inputs and copies vs alone");
            }
        }
        assertEquals(7, Generator.copySeed(7, 0), "copy 0 draws what a one-sequence run draws");
    }

    /** At temperature 2 on a random model, eight copies of one input are not all the same draw. */
    @Test
    void theCopiesAreDifferentDraws() {
        T5Model m = TinyModels.relu(11);
        Generated out = alone(m, FIRST, sampling(3).withNumReturnSequences(8));
        Set<List<Integer>> distinct = new HashSet<>();
        for (int[] s : out.sequences()) {
            List<Integer> l = new ArrayList<>();
            for (int t : s) l.add(t);
            distinct.add(l);
        }
        assertTrue(distinct.size() >= 3, "8 copies gave " + distinct.size() + " different sequences: " + distinct);
    }

    @Test
    void anInputsCopySeedsAreDistinct() {
        for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE}) {
            Set<Long> seen = new HashSet<>();
            for (int j = 0; j < 256; j++) assertTrue(seen.add(Generator.copySeed(seed, j)), "seed " + seed + " copy " + j);
        }
    }

    @Test
    void greedyRefusesMoreThanOneSequenceAndBeamsBoundIt() {
        var greedy = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.greedy(8).withNumReturnSequences(2));
        assertTrue(greedy.getMessage().startsWith("num_return_sequences: greedy decoding gives one sequence per input, got 2"),
                greedy.getMessage());
        var beams = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.beam(3, 8).withNumReturnSequences(4));
        assertTrue(beams.getMessage().startsWith("num_return_sequences: must be in [1, num_beams=3], got 4"), beams.getMessage());
        var wide = assertThrows(IllegalArgumentException.class,
                () -> sampling(0).withNumReturnSequences(GenerationConfig.MAX_NUM_BEAMS + 1));
        assertTrue(wide.getMessage().startsWith("num_return_sequences: must be at most 256"), wide.getMessage());
        assertEquals(GenerationConfig.MAX_NUM_BEAMS, sampling(0).withNumReturnSequences(GenerationConfig.MAX_NUM_BEAMS)
                .numReturnSequences());
        assertEquals(3, GenerationConfig.beam(3, 8).withSampling(1f, 0, 1f, 0).withNumReturnSequences(3).numReturnSequences(),
                "beam sampling returns up to num_beams hypotheses");
    }
}
