package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Rows on which weights-tools/fuzz_logits_processors.py found Resumo's logits processors and
 * sampling warpers disagreeing with transformers 5.24's (generation-reference/
 * logits-processor-regressions.json, transformers' results recorded beside each row):
 * <ul>
 *   <li>top-p on rows of equal scores whose cumulative probability lands exactly on the cut
 *       (600 × 3.5 with top_p 0.75: transformers keeps 450 tokens; Resumo kept 451, its partial sums
 *       in double where torch stores them as float32);</li>
 *   <li>rows with nothing to sample from (+inf after temperature, every token banned): torch.multinomial
 *       raises; Resumo drew the vocabulary's last id.</li>
 * </ul>
 * Equality is exact: the processors are one float32 multiply or divide, or a -inf mask, on both
 * sides, and the recorded cuts lie exactly on float32 partial sums (no rounding margin is
 * needed once the sums are rounded as torch rounds them). Which of several tokens tied at the cut
 * survive is torch.sort's choice (its CPU sort is an unstable introsort past 16 entries), so
 * longer rows compare the multiset of surviving scores, rows of up to 16 the rows themselves.
 */
class LogitsProcessorRegressionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** torch's CPU sort keeps equal scores in index order up to this many entries (insertion sort). */
    private static final int TORCH_STABLE_SORT_LIMIT = 16;

    @Test
    void resumoMatchesTransformersOnTheRecordedRows() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/generation-reference/logits-processor-regressions.json")) {
            assertNotNull(in, "generation-reference/logits-processor-regressions.json is missing");
            cases = JSON.readTree(in).get("cases");
        }
        int cuts = 0, refusals = 0;
        for (JsonNode c : cases) {
            String name = c.get("style").textValue() + " n=" + c.get("scores").size() + " " + c.get("problems");
            LogitsProcessorFuzzDriver.Result got = LogitsProcessorFuzzDriver.run(c);
            assertArrayEquals(LogitsProcessorFuzzDriver.floats(c.get("hf_processed")), got.processed(), name + ": processed");
            if (c.get("hf_cannot_sample").booleanValue()) {
                assertNotNull(got.undefined(), name + ": transformers cannot sample from this row, so generation must stop");
                refusals++;
                continue;
            }
            assertNull(got.undefined(), name);
            float[] hf = LogitsProcessorFuzzDriver.floats(c.get("hf_warped"));
            if (hf.length <= TORCH_STABLE_SORT_LIMIT) {
                assertArrayEquals(hf, got.warped(), name + ": warped");
            } else {
                assertArrayEquals(survivors(hf), survivors(got.warped()), name + ": surviving scores");
            }
            cuts++;
        }
        assertTrue(cuts >= 4 && refusals >= 2, "expected the recorded rows, found " + cuts + " top-p cuts, " + refusals + " refusals");
    }

    @Test
    void aRowWithNothingToSampleFromIsNamed() {
        float inf = Float.POSITIVE_INFINITY, neg = Float.NEGATIVE_INFINITY;
        assertNull(NextTokenScores.undefinedDistribution(new float[] {neg, 1f, 2f}, 0, 3));
        assertTrue(NextTokenScores.undefinedDistribution(new float[] {neg, neg, 9f, inf}, 0, 2).contains("banned"),
                "only the row's own slice counts");
        assertTrue(NextTokenScores.undefinedDistribution(new float[] {1f, inf}, 0, 2).contains("+inf"));
        assertTrue(NextTokenScores.undefinedDistribution(new float[] {Float.NaN, 1f}, 0, 2).contains("NaN"));
    }

    /** The scores of a row that are not -inf, sorted. */
    private static float[] survivors(float[] row) {
        float[] kept = new float[row.length];
        int n = 0;
        for (float v : row) if (v != Float.NEGATIVE_INFINITY) kept[n++] = v;
        kept = Arrays.copyOf(kept, n);
        Arrays.sort(kept);
        return kept;
    }
}
