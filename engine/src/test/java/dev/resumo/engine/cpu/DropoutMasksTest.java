package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.rng.Xoshiro256Random;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DropoutMasksTest {
    @Test
    void keepsOneMinusPOfTheElementsScaled() {
        int n = 1 << 20;
        float p = 0.1f;
        float[] mask = DropoutMasks.keepMask(n, p, new Xoshiro256Random(3));
        int kept = 0;
        for (float m : mask) {
            if (m != 0f) {
                assertEquals(1f / 0.9f, m);
                kept++;
            }
        }
        // Binomial(n, 0.9): standard deviation 0.0003 of n; 0.002 is more than 6 of them.
        assertEquals(0.9, kept / (double) n, 0.002);
        // Neighbours are independent: runs of kept/dropped pairs as often as chance says (p² dropped pairs).
        int droppedPairs = 0;
        for (int i = 1; i < n; i++) if (mask[i] == 0f && mask[i - 1] == 0f) droppedPairs++;
        assertEquals(0.01, droppedPairs / (double) n, 0.001);
    }

    /** The vector draws (eight lanes at a time) are the scalar definition's, bit for bit, at every offset and tail. */
    @Test
    void vectorDrawsEqualTheScalarDefinition() {
        int checked = 0;
        for (float p : new float[] {0.1f, 0.5f, 0.3f, 1e-7f, 0.999999f, 1f}) {
            float keep = p == 1f ? 0f : 1f / (1f - p);
            for (int[] range : new int[][] {{0, 4099}, {3, 3}, {5, 12}, {7, 1031}, {1 << 20, (1 << 20) + 77}}) {
                long seed = 0x5DEECE66DL * (checked + 1);
                float[] got = new float[range[1]];
                DropoutMasks.fill(got, seed, p, keep, range[0], range[1]);
                for (int i = range[0]; i < range[1]; i++) {
                    float want = DropoutMasks.uniform(seed, i) >= p ? keep : 0f;
                    if (got[i] != want) throw new AssertionError("p " + p + " element " + i + ": " + got[i] + " vs " + want);
                    checked++;
                }
            }
        }
        assertTrue(checked > 30_000);
    }

    @Test
    void sameMaskForAnyThreadCountAndFromTheSameGeneratorState() {
        int n = 300_001;
        int before = Workers.threads();
        try {
            Workers.setThreads(1);
            float[] one = DropoutMasks.keepMask(n, 0.3f, new Xoshiro256Random(9));
            Workers.setThreads(2);
            float[] two = DropoutMasks.keepMask(n, 0.3f, new Xoshiro256Random(9));
            Workers.setThreads(3);
            float[] three = DropoutMasks.keepMask(n, 0.3f, new Xoshiro256Random(9));
            assertArrayEquals(one, two);
            assertArrayEquals(one, three);
        } finally {
            Workers.setThreads(before);
        }
    }

    @Test
    void eachCallDrawsANewMaskAndPOneDropsAll() {
        Xoshiro256Random rng = new Xoshiro256Random(1);
        float[] a = DropoutMasks.keepMask(10_000, 0.5f, rng);
        float[] b = DropoutMasks.keepMask(10_000, 0.5f, rng);
        assertFalse(Arrays.equals(a, b));
        float[] all = DropoutMasks.keepMask(1000, 1f, rng);
        for (float m : all) assertEquals(0f, m);
        float[] none = DropoutMasks.keepMask(1000, 0f, rng);
        for (float m : none) assertTrue(m == 1f);
    }
}
