package dev.resumo.t5.generate;

import java.util.Arrays;
import java.util.List;

/**
 * Generated decoder sequences, {@code numReturnSequences} consecutive rows per input, each
 * starting with the decoder start token and ending with {@code </s>} (or cut at max_new_tokens).
 */
public record Generated(List<int[]> sequences, int numReturnSequences) {
    public Generated {
        sequences = List.copyOf(sequences);
    }

    /** The tokens of row i after the decoder start token, {@code </s>} included if present. */
    public int[] newTokens(int row) {
        int[] s = sequences.get(row);
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /** HF's output layout: rows padded with {@code pad} to the longest. */
    public int[][] padded(int pad) {
        int width = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        int[][] out = new int[sequences.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOf(sequences.get(i), width);
            Arrays.fill(out[i], sequences.get(i).length, width, pad);
        }
        return out;
    }
}
