package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One ceiling on max_new_tokens, below which no buffer size derived from it can overflow an int. */
class MaxNewTokensLimitTest {
    @Test
    void aboveTheCeilingIsRefusedNamingTheFieldAndTheLimit() {
        for (int n : new int[] {GenerationConfig.MAX_NEW_TOKENS_LIMIT + 1, 99_999_999, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.greedy(n));
            assertEquals("max_new_tokens: must be in [1, " + GenerationConfig.MAX_NEW_TOKENS_LIMIT + "], got " + n, e.getMessage());
        }
        assertEquals(GenerationConfig.MAX_NEW_TOKENS_LIMIT, GenerationConfig.greedy(GenerationConfig.MAX_NEW_TOKENS_LIMIT).maxNewTokens());
    }

    @Test
    void theCeilingLeavesRoomForLargeCaches() {
        // positions × rows × inner for 1 + ceiling positions, t5-base's 768 floats a row, 128 rows (batch 16 × 8 beams)
        long cache = (1L + GenerationConfig.MAX_NEW_TOKENS_LIMIT) * 128 * 768;
        assertTrue(cache < Integer.MAX_VALUE - 8, "cache of " + cache + " floats");
    }
}
