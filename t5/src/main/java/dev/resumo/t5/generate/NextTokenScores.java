package dev.resumo.t5.generate;

import java.util.Arrays;
import java.util.Random;

/**
 * What generation does to one row of next-token scores (a slice {@code [off, off + vocab)} of a
 * [rows, vocab] array): HF's logits processors and warpers, with the same semantics.
 *
 * <p>These are per-step loops over the vocabulary (≈32k) per row, small next to the lm_head
 * matmul that produced the row; a fused engine kernel could take them over later.
 */
final class NextTokenScores {
    private NextTokenScores() {}

    /**
     * In place: x - max - log(sum(exp(x - max))), in float32 like torch.log_softmax. The sum is
     * accumulated in double but rounded to float32 before the log, as torch holds it: when every
     * other token is below about 6e-8 of the top one the float32 sum is exactly 1, so the top
     * token's log-probability is exactly 0 in torch. Taken from the double sum it was -s (s the
     * small remainder, e.g. -3.8e-8), so a beam of near-certain tokens scored -1e-14 … -1e-7
     * where transformers' sequences_scores say exactly 0, and summed scores differed in their last
     * bits (weights-tools/fuzz_generation_parity.py: 126 of 1679 beam scores bit-equal to
     * transformers before, 251 after). One cast per row and step, outside the vocabulary loops.
     */
    static void logSoftmax(float[] a, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) max = Math.max(max, a[i]);
        double sum = 0;
        for (int i = off; i < off + n; i++) sum += Math.exp(a[i] - max);
        float logSum = (float) Math.log((float) sum);
        for (int i = off; i < off + n; i++) a[i] = a[i] - max - logSum;
    }

    /**
     * The next token of one row in greedy or sampling generation (one beam), as {@link Generator}
     * picks it: the logits processors, then with do_sample the warpers and a draw from softmax
     * ({@code rng}, the row's own generator), else the argmax. The row's scores are
     * overwritten. SamplingDistributionTest draws through this method, so what it checks is what
     * generation draws.
     *
     * @param step the 0-based decoding step, for the error message only
     * @throws SamplingImpossibleException when the warped scores define no distribution
     */
    static int nextToken(float[] a, int off, int n, int[] seq, int len, GenerationConfig s, int eos, Random rng, int step) {
        applyProcessors(a, off, seq, len, s, eos);
        if (!s.doSample()) return argmax(a, off, n);
        warpForSampling(a, off, n, s.temperature(), s.topK(), s.topP());
        String undefined = undefinedDistribution(a, off, n);
        if (undefined != null) {
            throw new SamplingImpossibleException("do_sample: nothing to sample from at step " + (step + 1)
                    + " (temperature " + s.temperature() + ", top_k " + s.topK() + ", top_p " + s.topP() + "): "
                    + undefined + "; transformers' generate() stops here too");
        }
        return sample(a, off, n, rng);
    }

    /**
     * HF's logits processors that Resumo implements, on one row: RepetitionPenaltyLogitsProcessor,
     * then MinNewTokensLengthLogitsProcessor, then NoRepeatNGramLogitsProcessor. transformers'
     * _get_logits_processor puts the n-gram ban before the length one; both only set -inf, so
     * their order does not change the result, while the penalty (which rescales) comes first in
     * both. {@code seq[0..len)} is the row's output so far, decoder start token included (so
     * len - 1 tokens are generated). Greedy and sampling give it logits, beam search log-probabilities.
     */
    static void applyProcessors(float[] a, int off, int[] seq, int len, GenerationConfig s, int eos) {
        penalizeRepeats(a, off, seq, len, s.repetitionPenalty());
        banEosBefore(a, off, len - 1, s.minNewTokens(), eos);
        banRepeatedNgrams(a, off, seq, len, s.noRepeatNgramSize());
    }

    /** MinNewTokensLengthLogitsProcessor: {@code </s>} is impossible before min_new_tokens. */
    static void banEosBefore(float[] a, int off, int generated, int minNewTokens, int eos) {
        if (generated < minNewTokens) a[off + eos] = Float.NEGATIVE_INFINITY;
    }

    /**
     * NoRepeatNGramLogitsProcessor: a token that would complete an n-gram already present in
     * {@code seq[0..len)} (decoder start token included, as HF does) gets -inf.
     */
    static void banRepeatedNgrams(float[] a, int off, int[] seq, int len, int n) {
        if (n <= 0 || len + 1 < n) return;
        int prefixStart = len - (n - 1);
        for (int i = 0; i + n <= len; i++) {
            boolean same = true;
            for (int j = 0; j < n - 1 && same; j++) same = seq[i + j] == seq[prefixStart + j];
            if (same) a[off + seq[i + n - 1]] = Float.NEGATIVE_INFINITY;
        }
    }

    /**
     * RepetitionPenaltyLogitsProcessor: every distinct token of {@code seq[0..len)} (decoder start
     * token included, as HF's decoder input ids) gets its score divided by {@code penalty} where
     * positive and multiplied by it where negative — once, however often it occurs. As HF does
     * (gather, then scatter): all the old scores are read before any is written, so a repeated
     * token writes the same value again. The per-thread scratch is reused: nothing is allocated
     * per step once it has grown to the longest output.
     */
    static void penalizeRepeats(float[] a, int off, int[] seq, int len, float penalty) {
        if (penalty == 1f) return;
        float[] old = GATHERED.get();
        if (old.length < len) {
            old = new float[Math.max(len, 2 * old.length)];
            GATHERED.set(old);
        }
        for (int i = 0; i < len; i++) old[i] = a[off + seq[i]];
        for (int i = 0; i < len; i++) a[off + seq[i]] = penalised(old[i], penalty);
    }

    /** One earlier token's score under the penalty: multiplied by it where negative, divided where not. */
    static float penalised(float score, float penalty) {
        return score < 0f ? score * penalty : score / penalty;
    }

    private static final ThreadLocal<float[]> GATHERED = ThreadLocal.withInitial(() -> new float[256]);

    /** Index of the largest score; the first one on ties, like torch.argmax. */
    static int argmax(float[] a, int off, int n) {
        int best = 0;
        float bestValue = a[off];
        for (int i = 1; i < n; i++) {
            if (a[off + i] > bestValue) {
                bestValue = a[off + i];
                best = i;
            }
        }
        return best;
    }

    /**
     * The distribution sampling draws from, as transformers' generate() builds it for do_sample with
     * one beam: TemperatureLogitsWarper, then TopKLogitsWarper, then TopPLogitsWarper, each keeping at
     * least one token (min_tokens_to_keep = 1); a setting at its "off" value (1, 0, 1) is skipped as
     * generate() leaves its warper out.
     */
    static void warpForSampling(float[] a, int off, int n, float temperature, int topK, float topP) {
        warpForSampling(a, off, n, temperature, topK, topP, 1);
    }

    /**
     * As above, each warper keeping at least {@code minTokensToKeep} tokens: generate() builds the
     * warpers with min_tokens_to_keep = 1 for one beam and with the number of end tokens + 1 (2 for
     * T5's one {@code </s>}) for beam sampling, so every beam keeps a token that does not end it.
     */
    static void warpForSampling(float[] a, int off, int n, float temperature, int topK, float topP, int minTokensToKeep) {
        temperature(a, off, n, temperature);
        topK(a, off, n, topK, minTokensToKeep);
        topP(a, off, n, topP, minTokensToKeep);
    }

    /** TemperatureLogitsWarper: every score divided by t in float32 (torch divides, not multiplies by 1/t). */
    static void temperature(float[] a, int off, int n, float t) {
        if (t == 1f) return;
        for (int i = off; i < off + n; i++) a[i] /= t;
    }

    /** TopKLogitsWarper: scores below the k-th largest become -inf (ties with it are kept); k ≥ n keeps all. */
    static void topK(float[] a, int off, int n, int k) {
        topK(a, off, n, k, 1);
    }

    /** TopKLogitsWarper(top_k, min_tokens_to_keep): k is raised to the minimum first (k = 0 is off). */
    static void topK(float[] a, int off, int n, int k, int minTokensToKeep) {
        if (k <= 0) return;
        k = Math.max(k, minTokensToKeep);
        if (k >= n) return;
        float kth = kthLargest(a, off, n, k);
        for (int i = off; i < off + n; i++) if (a[i] < kth) a[i] = Float.NEGATIVE_INFINITY;
    }

    /** Up to this k the k-th largest score is found with a heap of k scores rather than a sort of the row. */
    private static final int HEAP_K = 1024;

    /**
     * The k-th largest of a[off .. off+n) in {@link Float#compare}'s order (the value a sorted copy
     * holds at n - k, ties counted): a min-heap of the k largest seen, whose root is the answer. At
     * PTT5's 32,128 ids and top_k 50 this reads the row once (~0.05 ms) where sorting a copy took
     * ~2 ms a row and step — as long as a sampled step's decoder pass at batch 1.
     */
    static float kthLargest(float[] a, int off, int n, int k) {
        if (k > HEAP_K) {
            float[] sorted = Arrays.copyOfRange(a, off, off + n);
            Arrays.sort(sorted);
            return sorted[n - k];
        }
        float[] heap = new float[k];
        for (int i = 0; i < k; i++) siftUp(heap, i, a[off + i]);
        for (int i = off + k; i < off + n; i++) {
            if (Float.compare(a[i], heap[0]) > 0) siftDown(heap, k, a[i]);
        }
        return heap[0];
    }

    /** Puts v at index i of a min-heap of i + 1 elements (elements 0 .. i-1 already a heap). */
    private static void siftUp(float[] heap, int i, float v) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (Float.compare(heap[parent], v) <= 0) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = v;
    }

    /** Replaces a min-heap's root with v and restores the order. */
    private static void siftDown(float[] heap, int size, float v) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && Float.compare(heap[child + 1], heap[child]) < 0) child++;
            if (Float.compare(heap[child], v) >= 0) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = v;
    }

    /**
     * TopPLogitsWarper: the row sorted ascending, a token is removed while the cumulative
     * probability up to and including it is ≤ 1 - p; the most likely token always stays. The cut
     * is decided as torch decides it: torch's cumsum accumulates in double but stores each partial
     * sum as float32, and {@code cumulative <= 1 - top_p} compares in float32 with 1 - top_p
     * computed in double from the top_p the user wrote (here: the shortest decimal of the float,
     * "0.9" for 0.9f; 1 - (double) 0.9f is 3 float32 ulps above 1 - 0.9). With the partial sums
     * kept in double and compared with 1 - (double) p, a row of 600 equal scores and top_p 0.75
     * kept 451 tokens where transformers keeps 450 (150 × float32(1/600) is 0.25000000605 in
     * double, exactly 0.25 in float32). weights-tools/fuzz_logits_processors.py --seed 2 found 30 such
     * rows (all of equal or tied scores) among 20,000 cases, 8,487 of them with top-p; none after.
     * Which of several tokens tied with the last one removed goes first is torch's unstable sort's
     * choice (introsort past 16 entries); here the lower index goes first. Keeps at least one token.
     */
    static void topP(float[] a, int off, int n, float p) {
        topP(a, off, n, p, 1);
    }

    /** TopPLogitsWarper(top_p, min_tokens_to_keep): the {@code minTokensToKeep} most likely tokens always stay. */
    static void topP(float[] a, int off, int n, float p, int minTokensToKeep) {
        if (p >= 1f) return;
        float max = max(a, off, n);
        // NaN or +inf: every probability is NaN and the first comparison stops the cut (sampling then
        // reports the row); all -inf: nothing to keep or cut.
        if (Float.isNaN(max) || max == Float.POSITIVE_INFINITY || max == Float.NEGATIVE_INFINITY) return;
        float[] probs = softmax(a, off, n);
        // Only the finite scores are ordered: the -inf ones (top-k's cut, banned tokens) come first in
        // the ascending order with probability exactly 0, so they would be "removed" without moving the
        // cumulative sum. Each key is the score's order-preserving bits over its index: ascending, equal
        // scores lowest index first — the order the stable sort of boxed indices gave (~1 ms a row
        // instead of ~5 at PTT5's 32,128 ids).
        long[] order = new long[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            float v = a[off + i];
            if (v == Float.NEGATIVE_INFINITY) continue;
            int bits = Float.floatToIntBits(v);
            if (bits < 0) bits ^= 0x7fffffff; // negative floats: larger magnitude, smaller key
            order[m++] = ((long) bits << 32) | i;
        }
        Arrays.sort(order, 0, m);
        float cut = (float) (1.0 - Double.parseDouble(Float.toString(p)));
        double cumulative = 0;
        for (int r = 0; r < m - minTokensToKeep; r++) {
            int i = (int) order[r]; // the low 32 bits: the index
            cumulative += probs[i];
            if ((float) cumulative <= cut) a[off + i] = Float.NEGATIVE_INFINITY;
            else break;
        }
    }

    /**
     * Why softmax(scores) is no distribution (null when it is one): the largest score is -inf
     * (every token banned) or +inf / NaN (exp overflows: inf - inf). These are exactly the rows
     * whose float32 softmax holds NaN in torch, where transformers' torch.multinomial raises; drawn
     * from anyway, sample() returned the last id of the vocabulary (all its probabilities NaN).
     */
    static String undefinedDistribution(float[] a, int off, int n) {
        return undefinedDistribution(max(a, off, n));
    }

    /** The same, from the scores' {@link #max}. */
    static String undefinedDistribution(float max) {
        if (Float.isNaN(max)) return "a score is NaN (the model's logits are not numbers)";
        if (max == Float.POSITIVE_INFINITY) {
            return "a score is +inf (logits / temperature overflow float32: the temperature is too small, or the model's"
                    + " logits overflow)";
        }
        if (max == Float.NEGATIVE_INFINITY) {
            return "every token is banned (no_repeat_ngram_size, min_new_tokens or top-k/top-p left none)";
        }
        return null;
    }

    /** The largest score, NaN when one is NaN (Math.max keeps a NaN). */
    static float max(float[] a, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) max = Math.max(max, a[i]);
        return max;
    }

    /** Draws a token from softmax(scores); {@link #undefinedDistribution} must have found none of its causes. */
    static int sample(float[] a, int off, int n, Random rng) {
        float[] probs = softmax(a, off, n);
        double u = rng.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (probs[i] <= 0f) continue;
            cumulative += probs[i];
            last = i;
            if (u < cumulative) return i;
        }
        return last; // rounding left u just above the total
    }

    /** The probabilities {@link #sample} draws from: softmax(scores), exp and sum in double, each rounded to float32. */
    static float[] softmax(float[] a, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) max = Math.max(max, a[i]);
        float[] p = new float[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(a[off + i] - max);
            p[i] = (float) e;
            sum += e;
        }
        for (int i = 0; i < n; i++) p[i] = (float) (p[i] / sum);
        return p;
    }
}
