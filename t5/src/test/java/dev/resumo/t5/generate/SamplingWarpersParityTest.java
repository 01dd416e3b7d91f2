package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scores sampling draws from equal transformers' after its sampling warpers. Sampled ids cannot
 * match torch's random generator, but the distribution can: generation-reference/sampling-warpers.json
 * (weights-tools/make_sampling_reference.py, transformers 5.24) holds float32 score rows with ties,
 * -inf entries, a dominant token and huge magnitudes, run through the warpers generate() builds for
 * do_sample=True (temperature → top-k → top-p, min_tokens_to_keep=1), including the "off" values
 * (top_p 1.0, top_k larger than the vocabulary). Equality is exact: temperature is one float32
 * division on both sides, top-k and top-p only keep or remove (-inf) scores, and the file records
 * how far every cumulative probability lies from top-p's cut (≥ 8e-3 here, or an exact hit such as
 * 0.25 + 0.25 = 0.5 that float32 and double both compute exactly), far above the ~1e-7 by which
 * Java's and torch's softmax roundings can differ.
 */
class SamplingWarpersParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Below this a cumulative probability could fall on either side of the cut by rounding alone. */
    private static final double SAFE_CUT_DISTANCE = 1e-5;

    @Test
    void warpedScoresMatchTransformers() throws Exception {
        JsonNode cases;
        try (InputStream ref = getClass().getResourceAsStream("/generation-reference/sampling-warpers.json")) {
            assertNotNull(ref, "generation-reference/sampling-warpers.json is missing");
            cases = JSON.readTree(ref).get("cases");
        }
        int checked = 0;
        for (Map.Entry<String, JsonNode> c : cases.properties()) {
            JsonNode v = c.getValue();
            JsonNode distance = v.get("min_cut_distance");
            assertTrue(distance.isNull() || distance.doubleValue() > SAFE_CUT_DISTANCE,
                    c.getKey() + ": a cumulative probability lies " + distance + " from the top-p cut; pick another row");
            float[] row = floats(v.get("scores"));
            // The row sits at an offset inside a larger array, as one row of a batch does.
            float[] batch = new float[row.length + 3];
            System.arraycopy(row, 0, batch, 3, row.length);
            NextTokenScores.warpForSampling(batch, 3, row.length, (float) v.get("temperature").doubleValue(),
                    v.get("top_k").intValue(), (float) v.get("top_p").doubleValue());
            float[] got = java.util.Arrays.copyOfRange(batch, 3, batch.length);
            assertArrayEquals(floats(v.get("warped")), got, c.getKey() + " (" + v + ")");
            checked++;
        }
        assertTrue(checked >= 15, "expected the reference cases, found " + checked);
        System.out.printf("sampling warpers: %d score rows identical to transformers'%n", checked);
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).isNull() ? Float.NEGATIVE_INFINITY : a.get(i).floatValue();
        return out;
    }
}
