package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Decoding one token at a time with caches must give the logits of the full causal decoder. */
class IncrementalDecoderTest {
    // Same fp32 math in a different association order (cached K/V vs one matmul): ~1e-6.
    private static final float TOLERANCE = 2e-5f;

    @Test
    void stepwiseLogitsEqualFullDecoderLogits() {
        for (T5Model model : new T5Model[] {TinyModels.relu(1), TinyModels.gatedUntied(2)}) {
            try (var _ = Autograd.noGrad()) {
                int[] ids = {5, 6, 7, 8, 1, 9, 10, 1, 0, 0}; // second row padded
                int[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
                Tensor enc = model.encode(ids, mask, 2, 5, Dropout.OFF);
                int[] dec = {0, 11, 12, 13, 0, 21, 22, 23};
                float[] full = model.logits(model.decode(dec, 2, 4, enc, mask, Dropout.OFF)).toArray();
                int vocab = model.config().vocabSize();

                IncrementalDecoder stepper = model.startDecoding(enc, mask, 1);
                float worst = 0;
                for (int t = 0; t < 4; t++) {
                    float[] step = stepper.step(new int[] {dec[t], dec[4 + t]}).toArray();
                    for (int r = 0; r < 2; r++) {
                        float[] expected = Arrays.copyOfRange(full, (r * 4 + t) * vocab, (r * 4 + t + 1) * vocab);
                        float[] actual = Arrays.copyOfRange(step, r * vocab, (r + 1) * vocab);
                        worst = Math.max(worst, Golden.maxAbsDiff(actual, expected));
                    }
                }
                assertEquals(4, stepper.length());
                assertTrue(worst <= TOLERANCE, "incremental vs full logits max abs diff " + worst);
            }
        }
    }

    @Test
    void cachesThatOutgrowTheirCapacityKeepEarlierPositionsAndReorders() {
        // Capacity 1 forces the buffers and slot table to grow at every power of two; two reorders
        // (one swapping rows) check that the slot table survives growth.
        T5Model model = TinyModels.relu(4);
        try (var _ = Autograd.noGrad()) {
            int[] ids = {5, 6, 7, 1};
            int[] mask = {1, 1, 1, 1};
            Tensor enc = model.encode(ids, mask, 1, 4, Dropout.OFF);
            IncrementalDecoder small = model.startDecoding(enc, mask, 2, 1);
            IncrementalDecoder roomy = model.startDecoding(enc, mask, 2, 64);
            int[][] steps = {{0, 0}, {11, 31}, {12, 13}, {14, 15}, {16, 17}, {18, 19}};
            float worst = 0;
            for (int t = 0; t < steps.length; t++) {
                if (t == 2) { small.reorder(new int[] {1, 0}); roomy.reorder(new int[] {1, 0}); }
                if (t == 4) { small.reorder(new int[] {0, 0}); roomy.reorder(new int[] {0, 0}); }
                worst = Math.max(worst, Golden.maxAbsDiff(small.step(steps[t]).toArray(), roomy.step(steps[t]).toArray()));
            }
            // Same arithmetic in the same order whatever the capacity: bit-identical.
            assertEquals(0f, worst, "capacity 1 vs 64: max abs diff");
        }
    }

    @Test
    void reorderMovesTheSelfAttentionCache() {
        T5Model model = TinyModels.relu(3);
        try (var _ = Autograd.noGrad()) {
            int[] ids = {5, 6, 7, 1};
            int[] mask = {1, 1, 1, 1};
            Tensor enc = model.encode(ids, mask, 1, 4, Dropout.OFF);
            IncrementalDecoder two = model.startDecoding(enc, mask, 2); // two beams of one input
            two.step(new int[] {0, 0});
            two.step(new int[] {11, 31});
            two.reorder(new int[] {1, 1}); // both rows now continue beam 1 (0, 31)
            float[] after = two.step(new int[] {12, 12}).toArray();

            Tensor encRow = model.encode(ids, mask, 1, 4, Dropout.OFF);
            float[] expected = model.logits(model.decode(new int[] {0, 31, 12}, 1, 3, encRow, mask, Dropout.OFF)).toArray();
            int vocab = model.config().vocabSize();
            float[] last = Arrays.copyOfRange(expected, 2 * vocab, 3 * vocab);
            for (int r = 0; r < 2; r++) {
                float err = Golden.maxAbsDiff(Arrays.copyOfRange(after, r * vocab, (r + 1) * vocab), last);
                assertTrue(err <= TOLERANCE, "row " + r + " after reorder: max abs diff " + err);
            }
        }
    }

    @Test
    void copiesOfAnInputDecodeAsTheInputAlone() {
        // Beams share one projection of their input's cross keys/values: rows 0-1 read input 0,
        // rows 2-3 input 1 (a wrong mapping reads the other input or the padding). Every decode
        // kernel works per row in a fixed order, so the logits must be bit-identical.
        for (T5Model model : new T5Model[] {TinyModels.relu(4), TinyModels.gatedUntied(5)}) {
            try (var _ = Autograd.noGrad()) {
                int[] ids = {5, 6, 7, 8, 1, 9, 10, 1, 0, 0}; // second input padded
                int[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
                Tensor enc = model.encode(ids, mask, 2, 5, Dropout.OFF);
                IncrementalDecoder alone = model.startDecoding(enc, mask, 1);
                IncrementalDecoder copies = model.startDecoding(enc, mask, 2);
                int vocab = model.config().vocabSize();
                int[][] tokens = {{0, 0}, {11, 21}, {12, 22}};
                for (int[] t : tokens) {
                    float[] a = alone.step(t).toArray();
                    float[] c = copies.step(new int[] {t[0], t[0], t[1], t[1]}).toArray();
                    for (int r = 0; r < 4; r++) {
                        float[] expected = Arrays.copyOfRange(a, (r / 2) * vocab, (r / 2 + 1) * vocab);
                        float[] got = Arrays.copyOfRange(c, r * vocab, (r + 1) * vocab);
                        assertTrue(Arrays.equals(expected, got), "copy row " + r + " differs from its input decoded alone");
                    }
                }
            }
        }
    }
}
