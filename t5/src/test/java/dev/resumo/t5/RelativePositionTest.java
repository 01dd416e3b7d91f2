package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The bucket function against values worked out by hand from the T5 paper's definition
 * (32 buckets, max distance 128). Bidirectional: 16 buckets per sign, 0..7 exact, then
 * 8 + floor(ln(n/8) / ln(128/8) · 8), capped at 15; keys after the query add 16.
 * Causal: 0..15 exact, then 16 + floor(ln(n/16) / ln(128/16) · 16), capped at 31; keys after
 * the query (positive distance) are bucket 0. Values are picked away from bucket edges.
 */
class RelativePositionTest {
    private static int bi(int rel) {
        return RelativePosition.bucket(rel, true, 32, 128);
    }

    private static int causal(int rel) {
        return RelativePosition.bucket(rel, false, 32, 128);
    }

    @Test
    void bidirectionalBuckets() {
        assertEquals(0, bi(0));
        assertEquals(1, bi(-1));
        assertEquals(7, bi(-7));
        assertEquals(17, bi(1));            // key one after the query: 16 + 1
        assertEquals(23, bi(7));
        assertEquals(8, bi(-9));            // ln(9/8)/ln16·8 = 0.34
        assertEquals(24, bi(9));
        assertEquals(10, bi(-20));          // ln(2.5)/ln16·8 = 2.64
        assertEquals(26, bi(20));
        assertEquals(12, bi(-40));          // ln5/ln16·8 = 4.64
        assertEquals(15, bi(-100));         // ln12.5/ln16·8 = 7.29
        assertEquals(15, bi(-127));         // 7.98
        assertEquals(15, bi(-5000));        // capped
        assertEquals(31, bi(5000));
    }

    @Test
    void causalBuckets() {
        assertEquals(0, causal(0));
        assertEquals(0, causal(5));         // future keys (masked anyway) share bucket 0
        assertEquals(5, causal(-5));
        assertEquals(15, causal(-15));
        assertEquals(17, causal(-20));      // ln(1.25)/ln8·16 = 1.72
        assertEquals(23, causal(-40));      // ln2.5/ln8·16 = 7.05
        assertEquals(30, causal(-100));     // ln6.25/ln8·16 = 14.1
        assertEquals(31, causal(-127));     // 15.94
        assertEquals(31, causal(-5000));    // capped
    }

    @Test
    void bucketsGrowWithDistanceAndStayInRange() {
        int prevBi = -1;
        int prevCausal = -1;
        for (int n = 0; n < 1000; n++) {
            int b = bi(-n);
            int c = causal(-n);
            assertTrue(b >= prevBi && b < 16, "bidirectional bucket of -" + n);
            assertTrue(c >= prevCausal && c < 32, "causal bucket of -" + n);
            assertEquals(b + (n == 0 ? 0 : 16), bi(n), "positive distances mirror negative ones into the upper half");
            prevBi = b;
            prevCausal = c;
        }
    }

    @Test
    void bucketGridIsKeyMinusQuery() {
        int[] grid = RelativePosition.buckets(2, 2, 4, false, 32, 128); // queries 2,3 × keys 0..3
        assertEquals(java.util.List.of(2, 1, 0, 0, 3, 2, 1, 0),
                java.util.Arrays.stream(grid).boxed().toList());
    }
}
