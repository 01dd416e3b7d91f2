package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FiniteScanTest {
    /** Every position (vector body and scalar tail, at several offsets) and every kind of non-finite value. */
    @Test
    void findsTheFirstNonFiniteValueAnywhere() {
        float[] kinds = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7f800001)};
        for (int len : new int[] {0, 1, 15, 16, 17, 33, 100}) {
            for (int off : new int[] {0, 3}) {
                float[] a = new float[off + len + 2];
                for (int i = 0; i < a.length; i++) a[i] = (i % 7 - 3) * 1e37f; // large but finite, with ±MAX_VALUE-ish ends
                a[off + len] = Float.NaN; // just past the range: must not be seen
                assertEquals(-1, FiniteScan.firstNonFinite(a, off, len), "len " + len);
                assertEquals(0, FiniteScan.countNonFinite(a, off, len));
                for (int at = 0; at < len; at++) {
                    float[] b = a.clone();
                    b[off + at] = kinds[at % kinds.length];
                    assertEquals(at, FiniteScan.firstNonFinite(b, off, len), "len " + len + " at " + at);
                    b[off + len - 1] = Float.NaN;
                    assertEquals(at == len - 1 ? 1 : 2, FiniteScan.countNonFinite(b, off, len));
                }
            }
        }
        float[] extremes = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f};
        assertEquals(-1, FiniteScan.firstNonFinite(extremes, 0, extremes.length));
    }
}
