package dev.resumo.t5.generate;

import dev.resumo.t5.T5Model;
import java.util.Arrays;

/**
 * Two token inputs of different lengths, alone and as one padded batch, for the generation tests
 * that check an input's output does not depend on its batch.
 */
final class TwoInputs {
    private TwoInputs() {}

    static final int[] FIRST = {5, 6, 7, 8, 9, 1};
    static final int[] SECOND = {10, 11, 1};
    /** FIRST and SECOND as a batch of 2 × 6, SECOND padded. */
    static final int[] BOTH = {5, 6, 7, 8, 9, 1, 10, 11, 1, 0, 0, 0};
    static final int[] BOTH_MASK = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};

    /** {@code ids} generated as a batch of one. */
    static Generated alone(T5Model m, int[] ids, GenerationConfig g) {
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        return Generator.generate(m, ids, mask, 1, ids.length, g);
    }
}
