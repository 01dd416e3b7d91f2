package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host decoder multiplies by packed copies of its weights ({@link DecodeWeights}), never
 * by stale ones: a weight changed in place between two generations (an
 * optimizer step, a restore: both call {@link Tensor#markModified()}) is packed again.
 */
class DecodeWeightsTest {
    // Packed and plain products sum in another order: ~1e-6 apart on these tiny models.
    private static final float TOLERANCE = 2e-5f;
    private static final int[] IDS = {5, 6, 7, 1};
    private static final int[] MASK = {1, 1, 1, 1};

    @Test
    void theFirstDecodePacksEveryStepWeightAndMoreRowsThanPanelsSuitDoNot() {
        T5Model model = TinyModels.relu(6);
        try (var _ = Autograd.noGrad()) {
            Tensor enc = model.encode(IDS, MASK, 1, 4, Dropout.OFF);
            model.startDecoding(enc, MASK, DecodeWeights.MAX_ROWS + 1).step(new int[DecodeWeights.MAX_ROWS + 1]);
            assertEquals(0, model.decodeWeights().packedCount(), "more rows than MAX_ROWS use the weights as stored");
            float[] packed = model.startDecoding(enc, MASK, 1).step(new int[] {0}).toArray();
            assertEquals(stepWeights(model).size() + 1, model.decodeWeights().packedCount(), "step weights + lm_head");
            assertTrue(Golden.maxAbsDiff(packed, fullDecoderLogits(model, enc)) <= TOLERANCE);
        }
    }

    @Test
    void oneRowDecodesReadTheReluOutputProjectionThroughSparseRowsWithTheSameBits() {
        T5Model model = TinyModels.relu(7);
        int layers = model.decoder().blocks.size();
        try (var _ = Autograd.noGrad()) {
            Tensor enc = model.encode(IDS, MASK, 1, 4, Dropout.OFF);
            IncrementalDecoder two = model.startDecoding(enc, MASK, 2); // two copies of the input: panels only
            assertEquals(0, model.decodeWeights().sparseRowCount(), "decodes of more rows make no sparse-row copy");
            IncrementalDecoder one = model.startDecoding(enc, MASK, 1);
            assertEquals(layers, model.decodeWeights().sparseRowCount(), "one copy per ReLU feed-forward output projection");
            int vocab = model.config().vocabSize();
            int[] next = {0};
            for (int step = 0; step < 5; step++) {
                float[] alone = one.step(next).toArray();
                float[] pair = two.step(new int[] {next[0], next[0]}).toArray();
                assertArrayEquals(java.util.Arrays.copyOf(pair, vocab), alone, "step " + step + ": same bits alone and in a pair");
                int best = 0;
                for (int t = 1; t < vocab; t++) if (alone[t] > alone[best]) best = t;
                next[0] = best;
            }
            assertEquals(0, TinyModels.gatedUntied(7).decoder().blocks.stream().mapToInt(b -> {
                java.util.List<Tensor> out = new ArrayList<>();
                b.sparseInputWeights(out);
                return out.size();
            }).sum(), "a gated-GELU feed-forward has no mostly-zero input");
        }
    }

    @Test
    void aWeightChangedInPlaceIsPackedAgain() {
        T5Model model = TinyModels.relu(5);
        try (var _ = Autograd.noGrad()) {
            Tensor enc = model.encode(IDS, MASK, 1, 4, Dropout.OFF);
            float[] before = model.startDecoding(enc, MASK, 1).step(new int[] {0}).toArray(); // packs
            assertTrue(model.decodeWeights().packedCount() > 0);
            assertTrue(Golden.maxAbsDiff(before, fullDecoderLogits(model, enc)) <= TOLERANCE);

            // Change every weight one step multiplies by, in place, as an optimizer step would.
            for (Tensor w : stepWeights(model)) {
                float[] d = w.data();
                for (int i = 0; i < d.length; i++) d[i] = d[i] * 1.5f + 0.01f;
                w.markModified();
            }
            float[] after = model.startDecoding(enc, MASK, 1).step(new int[] {0}).toArray();
            float[] expected = fullDecoderLogits(model, enc);
            float moved = Golden.maxAbsDiff(before, expected);
            float diff = Golden.maxAbsDiff(after, expected);
            assertTrue(moved > 100 * TOLERANCE, "the change must move the logits (moved " + moved + ")");
            assertTrue(diff <= TOLERANCE, "decoding after the change differs from the full decoder by " + diff
                    + " (stale packed weights?)");
        }
    }

    private static List<Tensor> stepWeights(T5Model model) {
        List<Tensor> weights = new ArrayList<>();
        for (T5Block block : model.decoder().blocks) block.stepWeights(weights);
        return weights;
    }

    private static float[] fullDecoderLogits(T5Model model, Tensor enc) {
        return model.logits(model.decode(new int[] {0}, 1, 1, enc, MASK, Dropout.OFF)).toArray();
    }
}
