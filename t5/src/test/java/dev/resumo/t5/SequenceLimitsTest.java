package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one sequence-length ceiling, and the bias arithmetic that overflowed before it existed. */
class SequenceLimitsTest {
    @Test
    void ceilingNamesTheFlagAndTheLimit() {
        assertEquals(SequenceLimits.MAX_SEQUENCE_LENGTH, SequenceLimits.check("--max-source-length", SequenceLimits.MAX_SEQUENCE_LENGTH));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceLimits.check("--max-source-length", SequenceLimits.MAX_SEQUENCE_LENGTH + 1));
        assertTrue(e.getMessage().startsWith("--max-source-length: must be ≤ 8192"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got 8193"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SequenceLimits.check("--max-source-length", 0));
    }

    @Test
    void scorerRefusesALengthPastTheCeiling() {
        // Checked before the tokenizer or model is touched, so null stand-ins never get used.
        IllegalArgumentException scorer = assertThrows(IllegalArgumentException.class,
                () -> new Scorer(null, null, "", 20_000, 128));
        assertTrue(scorer.getMessage().contains("--max-source-length: must be ≤ 8192"), scorer.getMessage());
    }

    @Test
    void biasBucketsPastTheArrayLimitAreAClearError() {
        // 100000 × 100000 pairs = 10^10: queries * keys wrapped and indexed out of bounds before.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelativePosition.buckets(0, 100_000, 100_000, true, 32, 128));
        assertTrue(e.getMessage().contains("100000 queries × 100000 keys") && e.getMessage().contains("8192"), e.getMessage());
    }
}
