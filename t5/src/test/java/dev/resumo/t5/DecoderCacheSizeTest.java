package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A cache that cannot fit one array is refused with a message, never a negative array size. */
class DecoderCacheSizeTest {
    @Test
    void overflowingShapesAreRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DecoderCache.bufferLength(64, 100_000_000, 768));
        assertTrue(e.getMessage().contains("max_new_tokens"), e.getMessage());
        assertEquals(64 * 1025 * 768, DecoderCache.bufferLength(64, 1025, 768));
    }
}
