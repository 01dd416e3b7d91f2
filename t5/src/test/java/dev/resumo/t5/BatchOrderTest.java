package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Generation batches group inputs of about the same length, longest first (see BatchOrder). */
class BatchOrderTest {
    private static int[][] rowsOfLengths(int... lengths) {
        int[][] rows = new int[lengths.length][];
        for (int i = 0; i < lengths.length; i++) rows[i] = new int[lengths[i]];
        return rows;
    }

    @Test
    void batchesTakeTheLongestRowsFirstAndKeepInputOrderOnTies() {
        int[][] rows = rowsOfLengths(5, 40, 12, 40, 3, 20, 12);
        int[][] batches = BatchOrder.batches(rows, 2);
        assertEquals(4, batches.length);
        assertArrayEquals(new int[] {1, 3}, batches[0]);
        assertArrayEquals(new int[] {5, 2}, batches[1]);
        assertArrayEquals(new int[] {6, 0}, batches[2]);
        assertArrayEquals(new int[] {4}, batches[3]);
    }

    @Test
    void everyIndexLandsInExactlyOneBatch() {
        int[][] rows = rowsOfLengths(7, 7, 7, 1, 9, 2, 2, 30, 4, 4, 4);
        boolean[] seen = new boolean[rows.length];
        int count = 0;
        for (int[] batch : BatchOrder.batches(rows, 3)) {
            for (int i : batch) {
                assertEquals(false, seen[i], "index " + i + " twice");
                seen[i] = true;
                count++;
            }
        }
        assertEquals(rows.length, count);
        assertEquals(0, BatchOrder.batches(new int[0][], 4).length);
        assertThrows(IllegalArgumentException.class, () -> BatchOrder.batches(rows, 0));
    }
}
