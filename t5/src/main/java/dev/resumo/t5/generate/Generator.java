package dev.resumo.t5.generate;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.StepBuffers;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.ScreenedLogits;
import dev.resumo.t5.Dropout;
import dev.resumo.t5.IncrementalDecoder;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Generation from a T5 model: the encoder runs once, the decoder one token at a time with its
 * key/value caches; greedy, sampling or beam search as the {@link GenerationConfig} says. Inputs
 * are a padded batch (different lengths are fine: the mask hides the padding).
 */
public final class Generator {
    private Generator() {}

    /**
     * @param inputIds [batch × length], row-major, padded
     * @param attentionMask [batch × length], 1 for real tokens
     */
    public static Generated generate(T5Model model, int[] inputIds, int[] attentionMask, int batch, int length,
                                     GenerationConfig settings) {
        return generate(model, inputIds, attentionMask, batch, length, settings, () -> false);
    }

    /**
     * As above; {@code stop} is asked before every decoding step, and a true answer ends the
     * generation with {@link GenerationCancelledException} (a server whose client gave up frees
     * its worker within one step instead of after max_new_tokens of them).
     */
    public static Generated generate(T5Model model, int[] inputIds, int[] attentionMask, int batch, int length,
                                     GenerationConfig settings, BooleanSupplier stop) {
        try (var _ = Autograd.noGrad()) {
            Tensor encoderOutput = model.encode(inputIds, attentionMask, batch, length, Dropout.OFF);
            if (settings.numBeams() > 1) {
                return BeamSearch.run(model, encoderOutput, attentionMask, settings, stop);
            }
            if (settings.promptLookupNumTokens() > 0 && !model.onDevice()) {
                // Same tokens as the greedy decode below (see PromptLookupDecoding), fewer decoder passes.
                return PromptLookupDecoding.run(model, encoderOutput, inputIds, attentionMask, batch, length, settings, stop)
                        .generated();
            }
            // Sampling with num_return_sequences N decodes each input N times, as transformers expands
            // its inputs: the copies read their input's encoder rows (and, on the host, one set of
            // cross-attention keys/values), and draw from generators of their own.
            int copies = settings.doSample() ? settings.numReturnSequences() : 1;
            IncrementalDecoder decoder = model.startDecoding(encoderOutput, attentionMask, copies, 1 + settings.maxNewTokens());
            return oneBeam(model.config(), decoder, settings, copies, stop);
        }
    }

    /**
     * Greedy or sampling: each row extends its single sequence until {@code </s>} or the length
     * limit; rows are {@code copies} consecutive ones per input.
     */
    private static Generated oneBeam(T5Config config, IncrementalDecoder decoder, GenerationConfig s, int copies,
                                     BooleanSupplier stop) {
        int rows = decoder.rows();
        int vocab = config.vocabSize();
        int eos = config.eosTokenId();
        // One generator per row, each seeded with the seed: a text's draws depend on the text, the
        // settings and the seed only, not on the texts it is batched with. One generator for the
        // whole batch made a sampled summary change with --batch-size, with the other texts of the
        // file or request, and from run to run in `resumo batch` (Beam bundles differ between runs).
        Random[] rngs = new Random[rows];
        if (s.doSample()) for (int r = 0; r < rows; r++) rngs[r] = new Random(copySeed(s.seed(), r % copies));
        int[][] seqs = new int[rows][1 + s.maxNewTokens()];
        int[] lengths = new int[rows];
        boolean[] finished = new boolean[rows];
        int[] next = new int[rows];
        Arrays.fill(next, config.decoderStartTokenId());
        for (int r = 0; r < rows; r++) {
            seqs[r][0] = config.decoderStartTokenId();
            lengths[r] = 1;
        }
        int unfinished = rows;
        // Greedy on the host: the next tokens from the screened lm_head (the float32 argmax from a
        // copy of a quarter or half the bytes; see ScreenedLogits), the full logits only where the
        // screening cannot decide.
        ScreenedLogits screen = s.doSample() ? null : decoder.screen();
        if (screen != null && screen.outFeatures() != vocab) screen = null; // an lm_head not of the config's vocabulary
        float[] approx = screen == null ? null : new float[rows * vocab];
        int[] penalised = new int[1 + s.maxNewTokens()]; // a row's distinct earlier tokens (repetition penalty)
        float[] scoreBuffer = null; // a step's full logits, copied out of the step's arrays
        StepBuffers pool = DecodeStepBuffers.forCall();
        for (int step = 0; step < s.maxNewTokens() && unfinished > 0; step++) {
            if (stop.getAsBoolean()) throw new GenerationCancelledException();
            float[] scores;
            try (var _ = DecodeStepBuffers.step(pool)) {
                scores = oneBeamStep(config, decoder, s, step, screen, approx, penalised, seqs, lengths, finished, next,
                        scoreBuffer);
            }
            if (scores == null) { // decided by the screening
                unfinished -= appendTokens(config, seqs, lengths, finished, next);
                continue;
            }
            scoreBuffer = scores;
            for (int r = 0; r < rows; r++) {
                if (finished[r]) {
                    next[r] = config.padTokenId(); // keeps the batch in step; never emitted
                    continue;
                }
                int token = NextTokenScores.nextToken(scores, r * vocab, vocab, seqs[r], lengths[r], s, eos, rngs[r], step);
                seqs[r][lengths[r]++] = token;
                next[r] = token;
                if (token == eos) {
                    finished[r] = true;
                    unfinished--;
                }
            }
        }
        List<int[]> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) out.add(Arrays.copyOf(seqs[r], lengths[r]));
        return new Generated(out, copies);
    }

    /**
     * The seed of an input's copy {@code copy} when sampling several sequences: copy 0 uses the seed
     * itself, so its draws are those of a one-sequence run; the others a SplitMix64 mix of seed and
     * copy (java.util.Random seeded with neighbouring values starts on correlated streams).
     */
    static long copySeed(long seed, int copy) {
        if (copy == 0) return seed;
        long z = seed + copy * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * One decoding step of {@link #oneBeam}: null when the screened lm_head chose every row's next
     * token (in {@code next}), else the step's full logits copied into {@code reuse} (or a new array
     * the first time) for the caller to choose from.
     */
    private static float[] oneBeamStep(T5Config config, IncrementalDecoder decoder, GenerationConfig s, int step,
                                       ScreenedLogits screen, float[] approx, int[] penalised, int[][] seqs, int[] lengths,
                                       boolean[] finished, int[] next, float[] reuse) {
        Tensor logits;
        if (screen != null) {
            Tensor h = decoder.stepHidden(next).contiguous();
            if (screenedTokens(screen, h, approx, step, s, config.eosTokenId(), seqs, lengths, finished, next, penalised)) {
                return null;
            }
            logits = decoder.logitsOf(h); // a row the screening could not decide: all rows in full
        } else {
            logits = decoder.step(next);
        }
        return copyOut(logits, reuse);
    }

    /** The tensor's values in {@code reuse} when it has their length, else in a new array (a device tensor: its host copy). */
    static float[] copyOut(Tensor t, float[] reuse) {
        if (t.isOnDevice()) return t.toArray();
        Tensor c = t.contiguous();
        float[] out = reuse != null && reuse.length == c.size() ? reuse : new float[c.size()];
        System.arraycopy(c.data(), c.offset(), out, 0, c.size());
        return out;
    }

    /**
     * next[r] for every unfinished row from the screened lm_head, with the bans greedy decoding
     * applies (minimum length, no-repeat n-grams) set on the approximate logits; false when a row
     * cannot be decided that way (then next holds nothing usable).
     */
    private static boolean screenedTokens(ScreenedLogits screen, Tensor hidden, float[] approx, int step,
                                          GenerationConfig s, int eos, int[][] seqs, int[] lengths, boolean[] finished,
                                          int[] next, int[] penalised) {
        int vocab = screen.outFeatures(), d = screen.inFeatures(), rows = next.length;
        float[] h = hidden.data();
        int hOff = hidden.offset();
        screen.approximate(rows, h, hOff, approx, 0);
        for (int r = 0; r < rows; r++) {
            if (finished[r]) continue;
            int off = r * vocab;
            NextTokenScores.banEosBefore(approx, off, step, s.minNewTokens(), eos);
            NextTokenScores.banRepeatedNgrams(approx, off, seqs[r], lengths[r], s.noRepeatNgramSize());
            next[r] = s.repetitionPenalty() == 1f ? screen.argmax(h, hOff + r * d, approx, off)
                    : penalisedArgmax(screen, h, hOff + r * d, approx, off, seqs[r], lengths[r], s.repetitionPenalty(),
                            penalised);
            if (next[r] < 0) return false;
        }
        return true;
    }

    /**
     * The argmax a repetition penalty gives, through the screening: the row's earlier tokens leave
     * it (their scores are rescaled by sign, which the screening's error bound does not cover), the
     * screened winner of the others is compared with their exact logits, penalised — all float32
     * values the full logits would hold (ScreenedLogits.exact has the panels' bits), the first index
     * on ties as torch.argmax. Banned tokens (already -∞ in approx) stay out. -1 when the screening
     * cannot decide; then the caller computes the full logits.
     */
    static int penalisedArgmax(ScreenedLogits screen, float[] h, int hOff, float[] approx, int off, int[] seq,
                                       int len, float penalty, int[] penalised) {
        int count = 0;
        for (int i = 0; i < len; i++) {
            int t = seq[i];
            if (approx[off + t] == Float.NEGATIVE_INFINITY) continue; // banned, or met before
            penalised[count++] = t;
            approx[off + t] = Float.NEGATIVE_INFINITY;
        }
        int best = screen.argmax(h, hOff, approx, off);
        if (best < 0) return -1;
        float bestValue = screen.exact(h, hOff, best);
        for (int i = 0; i < count; i++) {
            int t = penalised[i];
            float logit = screen.exact(h, hOff, t);
            if (!Float.isFinite(logit)) return -1;
            float score = NextTokenScores.penalised(logit, penalty);
            if (score > bestValue || (score == bestValue && t < best)) {
                best = t;
                bestValue = score;
            }
        }
        return best;
    }

    /**
     * Appends next[r] to each unfinished row (finished rows get the pad token as their next input,
     * never emitted), marking rows that produced {@code </s>}; returns how many finished now.
     */
    private static int appendTokens(T5Config config, int[][] seqs, int[] lengths, boolean[] finished, int[] next) {
        int done = 0;
        for (int r = 0; r < next.length; r++) {
            if (finished[r]) {
                next[r] = config.padTokenId();
                continue;
            }
            seqs[r][lengths[r]++] = next[r];
            if (next[r] == config.eosTokenId()) {
                finished[r] = true;
                done++;
            }
        }
        return done;
    }
}
