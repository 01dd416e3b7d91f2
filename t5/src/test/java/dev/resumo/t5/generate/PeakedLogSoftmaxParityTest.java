package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Beam search's log-softmax gives torch.log_softmax's values on peaked rows
 * (generation-reference/log-softmax-peaked.json, weights-tools/make_log_softmax_reference.py,
 * torch 2.15): where torch's float32 sum of exp(x - max) is exactly 1, the top token's
 * log-probability is exactly 0 here too, so a beam of near-certain tokens scores exactly 0 as
 * transformers' sequences_scores do (it scored -1e-14 … -1e-7 when the sum was taken in double;
 * found by weights-tools/fuzz_generation_parity.py).
 */
class PeakedLogSoftmaxParityTest {
    /**
     * Away from exact zeros: torch sums exp(x - max) in float32 (vectorised lanes), this sums in
     * double and rounds the total to float32, so the two sums may differ by an ulp of 1 (1.2e-7);
     * log moves that by as much, and the final x - max - logSum rounds once more (one ulp of the
     * value). Two ulps of 1 plus that.
     */
    private static final double TOLERANCE = 2.4e-7;

    @Test
    void peakedRowsMatchTorchAndCertainTokensAreExactlyZero() throws Exception {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("/generation-reference/log-softmax-peaked.json")) {
            assertNotNull(in, "generation-reference/log-softmax-peaked.json is missing");
            ref = new ObjectMapper().readTree(in);
        }
        int zeros = 0;
        for (JsonNode row : ref.get("rows")) {
            String what = "vocab " + row.get("vocab") + ", gap " + row.get("gap");
            float[] x = floats(row.get("logits"));
            float[] expected = floats(row.get("log_softmax"));
            NextTokenScores.logSoftmax(x, 0, x.length);
            int top = row.get("top").intValue();
            if (expected[top] == 0f) {
                assertEquals(0f, x[top], what + ": torch's top log-probability is exactly 0");
                zeros++;
            }
            for (int i = 0; i < x.length; i++) {
                double tolerance = TOLERANCE + Math.ulp(expected[i]);
                assertTrue(Math.abs(x[i] - expected[i]) <= tolerance,
                        what + ", token " + i + ": " + x[i] + " vs torch " + expected[i]);
            }
        }
        assertTrue(zeros >= 4, "the reference should hold rows whose top log-probability is exactly 0; got " + zeros);
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = Float.parseFloat(a.get(i).textValue());
        return out;
    }
}
