package dev.resumo.t5;

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
