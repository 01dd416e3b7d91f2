package dev.resumo.train.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthGroupedBatchesTest {
    private static List<TokenizedExample> examples(int n) {
        Random r = new Random(5);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] src = new int[1 + r.nextInt(200)];
            Arrays.fill(src, 7);
            out.add(new TokenizedExample("e" + i, src, new int[] {5, 1}));
        }
        return out;
    }

    @Test
    void eachEpochIsAPermutationFixedBySeedAndEpoch() {
        LengthGroupedBatches b = new LengthGroupedBatches(examples(103), 8, 42);
        assertEquals(13, b.batchesPerEpoch());
        List<int[]> e0 = b.plan(0);
        int[] all = e0.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        int[] expected = new int[103];
        for (int i = 0; i < 103; i++) expected[i] = i;
        assertArrayEquals(expected, all, "every example exactly once");
        List<int[]> again = new LengthGroupedBatches(examples(103), 8, 42).plan(0);
        for (int i = 0; i < e0.size(); i++) assertArrayEquals(e0.get(i), again.get(i));
        assertTrue(!Arrays.equals(e0.get(0), b.plan(1).get(0)) || !Arrays.equals(e0.get(1), b.plan(1).get(1)),
                "another epoch, another order");
    }

    @Test
    void groupingByLengthCutsPadding() {
        List<TokenizedExample> ex = examples(400);
        LengthGroupedBatches b = new LengthGroupedBatches(ex, 8, 1);
        long grouped = 0, real = 0;
        for (int[] batch : b.plan(0)) {
            TokenBatch t = b.batch(batch);
            grouped += (long) t.batchSize() * t.sourceLength();
            real += t.sourceTokens();
        }
        // Random batches of 8 lengths uniform in [1, 200] pad to ≈ 8/9 of 200 each: ~78% padding overhead.
        // Sorted megabatches of 400 pad almost nothing.
        assertTrue(grouped < real * 1.1, "padded " + grouped + " vs real " + real);
    }

    @Test
    void batchIsPaddedLikeHuggingFace() {
        TokenBatch t = TokenBatch.of(List.of(
                new TokenizedExample("a", new int[] {10, 11, 1}, new int[] {20, 1}),
                new TokenizedExample("b", new int[] {12, 1}, new int[] {21, 22, 1})));
        assertArrayEquals(new int[] {10, 11, 1, 12, 1, 0}, t.inputIds());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0}, t.attentionMask());
        assertArrayEquals(new int[] {20, 1, -100, 21, 22, 1}, t.labels());
        assertArrayEquals(new int[] {0, 20, 1, 0, 21, 22}, t.decoderInputIds(), "shifted labels, -100 → pad");
        assertEquals(5, t.targetTokens());
    }

    @Test
    void truncationKeepsEosLast() {
        assertArrayEquals(new int[] {5, 6, 1}, Tokenization.truncate(new int[] {5, 6, 7, 8, 1}, 3));
        assertArrayEquals(new int[] {5, 1}, Tokenization.truncate(new int[] {5, 1}, 3));
    }
}
