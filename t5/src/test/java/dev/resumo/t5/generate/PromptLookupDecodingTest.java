package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import dev.resumo.t5.Dropout;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Prompt lookup decoding must give plain greedy decoding's tokens exactly, whatever the drafts:
 * drafts the model confirms save passes, drafts it rejects cost only the pass. Random tiny models
 * (their greedy outputs repeat themselves, so the lookup finds drafts in them) and drafters that
 * know the answer or lie about it.
 */
class PromptLookupDecodingTest {
    private static final int LENGTH = 20;

    private record Inputs(int[] ids, int[] mask, int batch) {}

    /** Rows of random tokens, odd rows ending in padding, every row ending in </s> (id 1). */
    private static Inputs inputs(int batch, int vocab, long seed) {
        Random r = new Random(seed);
        int[] ids = new int[batch * LENGTH], mask = new int[batch * LENGTH];
        for (int row = 0; row < batch; row++) {
            int real = row % 2 == 1 ? LENGTH - 6 : LENGTH;
            for (int i = 0; i < real; i++) {
                ids[row * LENGTH + i] = i == real - 1 ? 1 : 2 + r.nextInt(vocab - 2);
                mask[row * LENGTH + i] = 1;
            }
        }
        return new Inputs(ids, mask, batch);
    }

    private static Generated greedy(T5Model m, Inputs in, GenerationConfig g) {
        return Generator.generate(m, in.ids(), in.mask(), in.batch(), LENGTH, g);
    }

    private static void assertSameSequences(Generated expected, Generated actual, String what) {
        assertEquals(expected.sequences().size(), actual.sequences().size(), what);
        for (int i = 0; i < expected.sequences().size(); i++) {
            assertArrayEquals(expected.sequences().get(i), actual.sequences().get(i), what + ", row " + i);
        }
    }

    @Test
    void givesGreedyTokensWithTheInputsOwnDrafts() {
        for (long seed : new long[] {31, 32}) {
            T5Model m = seed == 31 ? TinyModels.wide(seed) : TinyModels.relu(seed);
            int vocab = m.config().vocabSize();
            Inputs in = inputs(3, vocab, seed);
            List<GenerationConfig> configs = List.of(
                    GenerationConfig.greedy(24).withMinNewTokens(24),
                    GenerationConfig.greedy(24),
                    GenerationConfig.greedy(30).withMinNewTokens(10).withNoRepeatNgramSize(3),
                    GenerationConfig.greedy(24).withMinNewTokens(24).withRepetitionPenalty(1.4f));
            int passes = 0, tokens = 0;
            for (GenerationConfig g : configs) {
                Generated plain = greedy(m, in, g);
                for (int k : new int[] {1, 4, 10}) {
                    String what = "seed " + seed + ", " + g + ", " + k + " draft tokens";
                    assertSameSequences(plain, greedy(m, in, g.withPromptLookup(k)), what);
                    PromptLookupDecoding.Outcome o = lookingUp(m, in, g.withPromptLookup(k));
                    assertSameSequences(plain, o.generated(), what);
                    passes += o.passes();
                    tokens += o.tokens();
                }
            }
            // Random models repeat themselves, so the lookup finds drafts the model confirms.
            assertTrue(passes < tokens, "seed " + seed + ": " + passes + " passes for " + tokens + " tokens");
        }
    }

    private static PromptLookupDecoding.Outcome lookingUp(T5Model m, Inputs in, GenerationConfig g) {
        try (var _ = Autograd.noGrad()) {
            Tensor encoded = m.encode(in.ids(), in.mask(), in.batch(), LENGTH, Dropout.OFF);
            return PromptLookupDecoding.run(m, encoded, in.ids(), in.mask(), in.batch(), LENGTH, g, () -> false);
        }
    }

    /** Decodes with the given drafters (row r's drafter gets row r's sequence so far). */
    private static PromptLookupDecoding.Outcome withDrafters(T5Model m, Inputs in, GenerationConfig g,
                                                             List<PromptLookupDecoding.Drafter> drafters) {
        try (var _ = Autograd.noGrad()) {
            Tensor encoded = m.encode(in.ids(), in.mask(), in.batch(), LENGTH, Dropout.OFF);
            return PromptLookupDecoding.run(m, encoded, in.mask(), LENGTH, g, () -> false, drafters);
        }
    }

    /** Drafts the reference's continuation of row r, with each token replaced by a wrong one where {@code lie} says. */
    private static PromptLookupDecoding.Drafter knowing(int[] reference, int vocab, java.util.function.IntPredicate lie) {
        return (seq, len, max, out) -> {
            int n = Math.min(max, reference.length - len);
            for (int i = 0; i < n; i++) {
                int t = reference[len + i];
                out[i] = lie.test(len + i) ? (t + 1) % vocab : t;
            }
            return Math.max(0, n);
        };
    }

    @Test
    void confirmedDraftsSavePassesAndRejectedOnesCostOnlyThePass() {
        T5Model m = TinyModels.wide(33);
        int vocab = m.config().vocabSize(), rows = 2, tokens = 40, k = 7;
        Inputs in = inputs(rows, vocab, 33);
        GenerationConfig g = GenerationConfig.greedy(tokens).withMinNewTokens(tokens).withPromptLookup(k);
        Generated plain = greedy(m, in, g.withPromptLookup(0));

        List<PromptLookupDecoding.Drafter> oracle = new ArrayList<>(), liar = new ArrayList<>(), mixed = new ArrayList<>();
        Random coin = new Random(5);
        for (int r = 0; r < rows; r++) {
            int[] ref = plain.sequences().get(r);
            oracle.add(knowing(ref, vocab, p -> false));
            liar.add(knowing(ref, vocab, p -> true));
            mixed.add(knowing(ref, vocab, p -> coin.nextInt(4) == 0));
        }
        PromptLookupDecoding.Outcome right = withDrafters(m, in, g, oracle);
        assertSameSequences(plain, right.generated(), "drafts that are the greedy tokens");
        assertEquals(rows * tokens, right.tokens());
        // Each pass keeps its k drafts and adds the model's token: ceil(40 / 8) = 5 passes a row.
        assertEquals(rows * ((tokens + k) / (k + 1)), right.passes(), "passes with every draft confirmed");

        PromptLookupDecoding.Outcome wrong = withDrafters(m, in, g, liar);
        assertSameSequences(plain, wrong.generated(), "drafts that are never the greedy token");
        assertEquals(rows * tokens, wrong.passes(), "one token per pass when every draft is rejected");

        PromptLookupDecoding.Outcome some = withDrafters(m, in, g, mixed);
        assertSameSequences(plain, some.generated(), "drafts with a wrong token here and there");
        assertTrue(some.passes() > right.passes() && some.passes() < wrong.passes(),
                "passes with some drafts wrong: " + some.passes() + ", between " + right.passes() + " and " + wrong.passes());
    }

    @Test
    void stopsAtEosInsideADraftAndAtMaxNewTokens() {
        T5Model m = TinyModels.relu(34);
        int vocab = m.config().vocabSize();
        Inputs in = inputs(1, vocab, 34);
        GenerationConfig g = GenerationConfig.greedy(60);
        Generated plain = greedy(m, in, g);
        int[] ref = plain.sequences().get(0);
        // The oracle drafts past the reference's end: whatever follows </s> or max_new_tokens is never kept.
        int[] longer = java.util.Arrays.copyOf(ref, ref.length + 20);
        PromptLookupDecoding.Outcome o = withDrafters(m, in, g.withPromptLookup(9),
                List.of(knowing(longer, vocab, p -> false)));
        assertSameSequences(plain, o.generated(), "oracle drafting past the end");
        Generated cut = greedy(m, in, GenerationConfig.greedy(5));
        PromptLookupDecoding.Outcome shortRun = withDrafters(m, in, GenerationConfig.greedy(5).withPromptLookup(9),
                List.of(knowing(longer, vocab, p -> false)));
        assertSameSequences(cut, shortRun.generated(), "max_new_tokens 5 with 9 draft tokens");
    }
}
