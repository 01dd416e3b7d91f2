package dev.resumo.t5.generate;

import java.util.Random;

/**
 * Beam sampling's choice of continuations (transformers' {@code _get_top_k_continuations} with
 * do_sample): instead of the 2·num_beams best (beam, token) pairs of one input, 2·num_beams pairs
 * drawn without replacement from softmax over all num_beams × vocabulary accumulated scores, then
 * ordered best score first as transformers orders them — so the rest of beam search (which run on,
 * which finish, the early-stopping test) is unchanged.
 *
 * <p>The draw: torch.multinomial without replacement is an exponential race (key p / q, q ~ Exp(1),
 * the k largest keys), which draws the same distribution as k successive draws each renormalised
 * over what is left. Ids cannot match torch's generator; the distribution does. Only pairs with a
 * positive probability take part (scores within 745 of the best: exp underflows double below), so a
 * warped step (top-k, top-p: most scores -inf) costs one uniform draw per kept pair.
 *
 * <p>Fewer positive pairs than asked for (top-k or top-p leaves each beam its two tokens, and at the
 * first step only the first beam is alive): torch then fills with zero-probability pairs of its
 * choosing (ties of key 0 in topk); here the fill is the best-scoring of them, lowest index first
 * among equals, as beam search would take them. They sort after every drawn pair and never outrank
 * one, so they run on or finish only where the drawn pairs are too few to fill the beams.
 */
final class BeamSampling {
    /** exp(x) is 0 in double below this: such a pair cannot be drawn. */
    private static final double UNDERFLOW = -745.2;

    private BeamSampling() {}

    /**
     * Draws {@code row.length} continuations of the beams {@code firstRow .. firstRow+beams-1}
     * (scores already accumulated: warped log-probabilities + the beam's score) into row / token /
     * value, best score first; returns how many (row.length unless the input has fewer pairs).
     *
     * @param step the 0-based decoding step, for the error message only
     * @throws SamplingImpossibleException when the scores define no distribution
     */
    static int sampleContinuations(float[] scores, int firstRow, int beams, int vocab, Random rng, GenerationConfig s,
                                   int step, int[] row, int[] token, float[] value) {
        int from = firstRow * vocab;
        int n = beams * vocab;
        float max = NextTokenScores.max(scores, from, n);
        String undefined = NextTokenScores.undefinedDistribution(max);
        if (undefined != null) {
            throw new SamplingImpossibleException("do_sample: nothing to sample from at step " + (step + 1)
                    + " (num_beams " + beams + ", temperature " + s.temperature() + ", top_k " + s.topK() + ", top_p "
                    + s.topP() + "): " + undefined + "; transformers' generate() stops here too");
        }
        int k = Math.min(row.length, n);
        int[] chosen = new int[k];
        double[] keys = new double[k];
        int drawn = 0;
        for (int i = 0; i < n; i++) {
            double x = (double) scores[from + i] - max;
            if (!(x > UNDERFLOW)) continue; // -inf, or too far below the best to be drawn
            // q = -ln(1 - u) ~ Exp(1) for u uniform in [0, 1); q = 0 (u = 0) gives an infinite key: drawn first.
            double key = Math.exp(x) / -Math.log1p(-rng.nextDouble());
            drawn = insertDescending(chosen, keys, drawn, k, i, key);
        }
        // Too few pairs with a probability: the rest by score (see the class comment).
        int filled = drawn;
        if (filled < k) {
            int[] fill = new int[k - filled];
            double[] fillScores = new double[k - filled];
            int count = 0;
            for (int i = 0; i < n; i++) {
                double x = (double) scores[from + i] - max;
                if (x > UNDERFLOW) continue; // drawn above
                count = insertDescending(fill, fillScores, count, fill.length, i, scores[from + i]);
            }
            System.arraycopy(fill, 0, chosen, filled, count);
            filled += count;
        }
        // Best score first (transformers sorts the drawn pairs); equal scores by index, as topk keeps them.
        Integer[] order = new Integer[filled];
        for (int j = 0; j < filled; j++) order[j] = chosen[j];
        java.util.Arrays.sort(order, (x, y) -> {
            int c = Float.compare(scores[from + y], scores[from + x]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        for (int j = 0; j < filled; j++) {
            row[j] = firstRow + order[j] / vocab;
            token[j] = order[j] % vocab;
            value[j] = scores[from + order[j]];
        }
        return filled;
    }

    /**
     * Keeps the {@code capacity} largest keys seen so far in {@code ids}/{@code keys} (largest
     * first; a key equal to a kept one goes after it); returns the new count.
     */
    private static int insertDescending(int[] ids, double[] keys, int count, int capacity, int id, double key) {
        if (count == capacity && !(key > keys[capacity - 1])) return count;
        int at = count == capacity ? capacity - 1 : count++;
        while (at > 0 && key > keys[at - 1]) {
            keys[at] = keys[at - 1];
            ids[at] = ids[at - 1];
            at--;
        }
        keys[at] = key;
        ids[at] = id;
        return count;
    }
}
