package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A one-row decoder fed several positions in one pass (prompt lookup decoding's check of draft
 * tokens) must give each position the bits a step of its own gives, and a rewind must make the
 * rejected positions as if never fed: compared bit for bit with one-token steps.
 */
class SeveralPositionsStepTest {
    private static float[] row(float[] all, int j, int d) {
        return Arrays.copyOfRange(all, j * d, (j + 1) * d);
    }

    @Test
    void positionsInOnePassAndAfterARewindHaveTheBitsOfSingleSteps() {
        for (T5Model model : new T5Model[] {TinyModels.wide(41), TinyModels.relu(42), TinyModels.gatedUntied(43)}) {
            try (var _ = Autograd.noGrad()) {
                int len = 12;
                int[] ids = new int[len], mask = new int[len];
                for (int i = 0; i < len; i++) {
                    ids[i] = i == len - 1 ? 1 : 3 + (i * 7) % 50;
                    mask[i] = i < len - 2 ? 1 : 0; // padding at the end, so the cross mask matters
                }
                Tensor enc = model.encode(ids, mask, 1, len, Dropout.OFF);
                int d = model.config().dModel();
                int[] tokens = {0, 11, 12, 13, 14, 15, 16, 17};

                IncrementalDecoder single = model.startDecoding(enc, mask, 1, 16);
                float[][] expected = new float[tokens.length][];
                for (int t = 0; t < tokens.length; t++) expected[t] = single.stepHidden(new int[] {tokens[t]}).toArray();

                IncrementalDecoder several = model.startDecoding(enc, mask, 1, 16);
                // Positions 0-1 alone, then 2-4 with two wrong drafts after them (rejected: rewind to 3),
                // then 3-7 in one pass.
                float[] a = several.stepHiddenPositions(new int[] {0, 11}).toArray();
                float[] b = several.stepHiddenPositions(new int[] {12, 40, 41}).toArray();
                assertEquals(5, several.length());
                several.rewind(3);
                float[] c = several.stepHiddenPositions(Arrays.copyOfRange(tokens, 3, 8)).toArray();
                assertEquals(8, several.length());
                String m = model.config().dModel() + "-wide model, position ";
                assertArrayEquals(expected[0], row(a, 0, d), m + 0);
                assertArrayEquals(expected[1], row(a, 1, d), m + 1);
                assertArrayEquals(expected[2], row(b, 0, d), m + 2);
                for (int t = 3; t < 8; t++) assertArrayEquals(expected[t], row(c, t - 3, d), m + t + " after the rewind");
            }
        }
    }

    @Test
    void onlyOneRowHostDecodersTakeSeveralPositions() {
        T5Model model = TinyModels.relu(44);
        try (var _ = Autograd.noGrad()) {
            int[] ids = {5, 6, 1, 7, 8, 1}, mask = {1, 1, 1, 1, 1, 1};
            Tensor enc = model.encode(ids, mask, 2, 3, Dropout.OFF);
            IncrementalDecoder two = model.startDecoding(enc, mask, 1, 8);
            var e = assertThrows(IllegalStateException.class, () -> two.stepHiddenPositions(new int[] {0, 4}));
            assertEquals("several positions per pass: one-row host decoders only (rows 2)", e.getMessage());
            var r = assertThrows(IllegalArgumentException.class, () -> two.rewind(1));
            assertEquals("rewind to 1: decoder holds 0 positions", r.getMessage());
        }
    }
}
