package dev.resumo.t5.generate;

import java.util.Arrays;
import java.util.List;

/**
 * Generated decoder sequences, {@code numReturnSequences} consecutive rows per input, each
 * starting with the decoder start token and ending with {@code </s>} (or cut at max_new_tokens).
 *
 * @param sequenceScores beam search: each row's score, the sum of its processed log-probabilities
 *     divided by generated_length^length_penalty (transformers' {@code sequences_scores}); empty for
 *     greedy decoding and sampling, where transformers returns none either
 */
public record Generated(List<int[]> sequences, int numReturnSequences, float[] sequenceScores) {
    public Generated {
        sequences = List.copyOf(sequences);
        sequenceScores = sequenceScores.clone();
        if (sequenceScores.length != 0 && sequenceScores.length != sequences.size()) {
            throw new IllegalArgumentException(sequenceScores.length + " scores for " + sequences.size() + " sequences");
        }
    }

    /** Sequences without scores (greedy decoding, sampling). */
    public Generated(List<int[]> sequences, int numReturnSequences) {
        this(sequences, numReturnSequences, new float[0]);
    }

    @Override
    public float[] sequenceScores() {
        return sequenceScores.clone();
    }

    /** The tokens of row i after the decoder start token, {@code </s>} included if present. */
    public int[] newTokens(int row) {
        int[] s = sequences.get(row);
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /**
     * Rows padded with {@code pad} to the longest: transformers' layout for greedy decoding and
     * sampling. (Its beam search fills with {@code </s>} instead when pad_token_id is 0, as T5's is:
     * {@code pad_token_id or eos_token_id} takes a zero pad id for "none".)
     */
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
