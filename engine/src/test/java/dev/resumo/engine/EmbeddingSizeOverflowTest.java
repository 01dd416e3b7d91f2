package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An embedding whose result would pass 2^31-1 floats is refused with its shape, not a negative array size. */
class EmbeddingSizeOverflowTest {
    @Test
    void resultPastTheArrayLimitIsAClearError() {
        // 3000 ids × 2^20 floats per row = 3.1·10⁹ floats: ids.length * d wraps to a negative int.
        Tensor wideTable = Tensor.zeros(1, 1 << 20); // 4 MB
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.embedding(wideTable, new int[3000], 3000));
        assertTrue(e.getMessage().contains("[3000, 1048576]") && e.getMessage().contains("more than 2^31-1 elements"), e.getMessage());
        // its own type, which `resumo` commands and the server report in one line (a job too large, not a bug)
        assertTrue(e instanceof TensorTooLargeException && e.getMessage().contains("smaller batch or sequence length"), e.getMessage());
    }
}
