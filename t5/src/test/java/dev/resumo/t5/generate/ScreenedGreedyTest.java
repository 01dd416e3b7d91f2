package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import dev.resumo.t5.Dropout;
import dev.resumo.t5.IncrementalDecoder;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.TinyModels;
import org.junit.jupiter.api.Test;

/**
 * Greedy generation on the host picks tokens through the screened lm_head (ScreenedLogits); the
 * sequences must be exactly those of argmax over the float32 logits of every step, bans included
 * (minimum length, no-repeat n-grams) and repetition penalties above and below 1, for tied and
 * untied lm_heads and row counts that use each tile of the bfloat16 product.
 */
class ScreenedGreedyTest {

    /** The plain greedy loop: step() logits, the same bans, argmax — what generation did before screening. */
    private static int[][] reference(T5Model m, int[] ids, int[] mask, int batch, int length, GenerationConfig g) {
        try (var _ = Autograd.noGrad()) {
            Tensor enc = m.encode(ids, mask, batch, length, Dropout.OFF);
            IncrementalDecoder decoder = m.startDecoding(enc, mask, 1, 1 + g.maxNewTokens());
            assertNotNull(decoder.screen(), "a host greedy decode has a screened lm_head");
            int vocab = m.config().vocabSize(), eos = m.config().eosTokenId();
            int[][] seqs = new int[batch][1 + g.maxNewTokens()];
            int[] lengths = new int[batch];
            boolean[] finished = new boolean[batch];
            int[] next = new int[batch];
            java.util.Arrays.fill(next, m.config().decoderStartTokenId());
            for (int r = 0; r < batch; r++) {
                seqs[r][0] = next[r];
                lengths[r] = 1;
            }
            for (int step = 0; step < g.maxNewTokens(); step++) {
                float[] scores = decoder.step(next).toArray();
                for (int r = 0; r < batch; r++) {
                    if (finished[r]) {
                        next[r] = m.config().padTokenId();
                        continue;
                    }
                    NextTokenScores.penalizeRepeats(scores, r * vocab, seqs[r], lengths[r], g.repetitionPenalty());
                    NextTokenScores.banEosBefore(scores, r * vocab, step, g.minNewTokens(), eos);
                    NextTokenScores.banRepeatedNgrams(scores, r * vocab, seqs[r], lengths[r], g.noRepeatNgramSize());
                    next[r] = NextTokenScores.argmax(scores, r * vocab, vocab);
                    seqs[r][lengths[r]++] = next[r];
                    finished[r] = next[r] == eos;
                }
            }
            int[][] out = new int[batch][];
            for (int r = 0; r < batch; r++) out[r] = java.util.Arrays.copyOf(seqs[r], lengths[r]);
            return out;
        }
    }

    @Test
    void screenedGreedyEqualsTheFloat32Argmax() {
        int checked = 0;
        for (T5Model m : new T5Model[] {TinyModels.relu(21), TinyModels.gatedUntied(22)}) {
            for (int batch : new int[] {1, 3, 9}) { // tiles 1; 2 + 1; 8 + 1
                int length = 5;
                int[] ids = new int[batch * length], mask = new int[batch * length];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = 2 + (i * 37 + batch) % 90;
                    mask[i] = i % length < length - (i / length) % 2 ? 1 : 0; // some rows padded
                }
                for (GenerationConfig g : new GenerationConfig[] {GenerationConfig.greedy(12),
                        GenerationConfig.greedy(12).withMinNewTokens(6).withNoRepeatNgramSize(2),
                        GenerationConfig.greedy(12).withRepetitionPenalty(2.5f),
                        GenerationConfig.greedy(12).withRepetitionPenalty(0.7f).withNoRepeatNgramSize(3),
                        GenerationConfig.greedy(12).withRepetitionPenalty(1.3f).withMinNewTokens(6)}) {
                    int[][] expected = reference(m, ids, mask, batch, length, g);
                    Generated got = Generator.generate(m, ids, mask, batch, length, g);
                    for (int r = 0; r < batch; r++) {
                        assertArrayEquals(expected[r], got.sequences().get(r), "batch " + batch + " row " + r);
                        checked++;
                    }
                }
            }
        }
        System.out.println("screened greedy: " + checked + " sequences identical to the float32 argmax loop");
    }
}
