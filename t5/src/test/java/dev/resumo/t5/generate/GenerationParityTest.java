package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.resumo.t5.Golden;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated token ids identical to transformers' generate() on the golden tiny models, for a
 * padded batch of 4 inputs of different lengths (settings as recorded in meta.json).
 */
class GenerationParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0-tiny", "t5-v1_1-tiny"})
    void greedyAndBeamSearchMatchTransformers(String name) {
        Path dir = Golden.model(name);
        T5Model model = T5Checkpoint.load(dir);
        Golden.GenerationInputs in = Golden.generationInputs(dir);
        Path file = in.file();
        int pad = model.config().padTokenId();

        // generate(num_beams=1, do_sample=False, max_new_tokens=16)
        Generated greedy = Generator.generate(model, in.ids(), in.mask(), in.batch(), in.length(), GenerationConfig.greedy(16));
        check(name + " greedy", Golden.ints(file, "greedy"), Golden.shape(file, "greedy"), greedy.padded(pad));

        // generate(num_beams=4, max_new_tokens=16, length_penalty=1.0, no_repeat_ngram_size=3, early_stopping=True)
        GenerationConfig beam = GenerationConfig.beam(4, 16)
                .withBeams(4, 1.0f, GenerationConfig.EarlyStopping.TRUE, 1)
                .withNoRepeatNgramSize(3);
        Generated beams = Generator.generate(model, in.ids(), in.mask(), in.batch(), in.length(), beam);
        check(name + " beam4_nrng3", Golden.ints(file, "beam4_nrng3"), Golden.shape(file, "beam4_nrng3"), beams.padded(pad));
    }

    private static void check(String what, int[] expected, int[] shape, int[][] actual) {
        int[][] rows = new int[shape[0]][];
        for (int r = 0; r < shape[0]; r++) rows[r] = java.util.Arrays.copyOfRange(expected, r * shape[1], (r + 1) * shape[1]);
        for (int r = 0; r < rows.length; r++) {
            assertArrayEquals(rows[r], actual[r], what + ": row " + r);
        }
        assertArrayEquals(rows, actual, what);
        System.out.printf("%s: %d sequences × %d tokens identical%n", what, shape[0], shape[1]);
    }
}
