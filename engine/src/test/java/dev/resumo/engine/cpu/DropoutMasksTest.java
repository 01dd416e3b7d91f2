package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.rng.Xoshiro256Random;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DropoutMasksTest {
    @Test
    void keepsOneMinusPOfTheElements() {
        int n = 1 << 20;
        float p = 0.1f;
        byte[] mask = DropoutMasks.keepMask(n, p, new Xoshiro256Random(3));
        int kept = 0;
        for (byte m : mask) {
            assertTrue(m == 0 || m == 1, "mask value " + m);
            kept += m;
        }
        // Binomial(n, 0.9): standard deviation 0.0003 of n; 0.002 is more than 6 of them.
        assertEquals(0.9, kept / (double) n, 0.002);
        // Neighbours are independent: runs of kept/dropped pairs as often as chance says (p² dropped pairs).
        int droppedPairs = 0;
        for (int i = 1; i < n; i++) if (mask[i] == 0 && mask[i - 1] == 0) droppedPairs++;
        assertEquals(0.01, droppedPairs / (double) n, 0.001);
        assertEquals(1f / 0.9f, DropoutMasks.keepScale(p));
        assertEquals(0f, DropoutMasks.keepScale(1f));
    }

    /** The vector draws (eight lanes at a time) are the scalar definition's, bit for bit, at every offset and tail. */
    @Test
    void vectorDrawsEqualTheScalarDefinition() {
        int checked = 0;
        for (float p : new float[] {0.1f, 0.5f, 0.3f, 1e-7f, 0.999999f, 1f}) {
            for (int[] range : new int[][] {{0, 4099}, {3, 3}, {5, 12}, {7, 1031}, {1 << 20, (1 << 20) + 77}}) {
                long seed = 0x5DEECE66DL * (checked + 1);
                byte[] got = new byte[range[1]];
                Arrays.fill(got, (byte) 7);
                DropoutMasks.fill(got, seed, p, range[0], range[1]);
                for (int i = range[0]; i < range[1]; i++) {
                    byte want = DropoutMasks.uniform(seed, i) >= p ? (byte) 1 : (byte) 0;
                    if (got[i] != want) throw new AssertionError("p " + p + " element " + i + ": " + got[i] + " vs " + want);
                    checked++;
                }
            }
        }
        assertTrue(checked > 30_000);
    }

    /**
     * Applying a byte mask gives the bits multiplying by the float mask value (scale or 0) gave,
     * including -0 for dropped negatives and NaN for dropped infinities, at every tail length and
     * offset, in place and not, on one thread and spread over the workers.
     */
    @Test
    void applyingTheMaskEqualsMultiplyingByTheFloatMask() {
        Random r = new Random(5);
        float scale = DropoutMasks.keepScale(0.3f);
        int checked = 0;
        for (int n : new int[] {1, 15, 16, 17, 100, 4099}) {
            for (int off : new int[] {0, 3}) {
                float[] src = new float[off + n];
                byte[] mask = new byte[off + n];
                for (int i = 0; i < src.length; i++) {
                    src[i] = (float) r.nextGaussian() * 10;
                    mask[i] = (byte) (r.nextFloat() < 0.7f ? 1 : 0);
                }
                src[off] = Float.NEGATIVE_INFINITY;
                mask[off] = 0;
                if (n > 1) {
                    src[off + 1] = -2.5f;
                    mask[off + 1] = 0;
                }
                float[] want = new float[n];
                float[] floatMask = DropoutMasks.expand(mask, mask.length, scale);
                for (int i = 0; i < n; i++) want[i] = src[off + i] * floatMask[off + i];
                float[] got = new float[n + 2];
                DropoutMasks.apply(src, off, mask, off, scale, got, 2, n);
                assertArrayEquals(want, Arrays.copyOfRange(got, 2, n + 2), "n " + n + " off " + off);
                float[] inPlace = src.clone();
                DropoutMasks.apply(inPlace, off, mask, off, scale, inPlace, off, n);
                assertArrayEquals(want, Arrays.copyOfRange(inPlace, off, off + n), "in place, n " + n);
                if (off == 0) {
                    float[] parallel = new float[n];
                    DropoutMasks.applyParallel(src, 0, mask, scale, parallel, n);
                    assertArrayEquals(want, parallel, "parallel, n " + n);
                }
                checked += n;
            }
        }
        assertTrue(Float.isNaN(DropoutMasks.expand(new byte[] {0}, 1, scale)[0] * Float.POSITIVE_INFINITY));
        assertTrue(checked > 8000);
    }

    @Test
    void sameMaskForAnyThreadCountAndFromTheSameGeneratorState() {
        int n = 300_001;
        int before = Workers.threads();
        try {
            Workers.setThreads(1);
            byte[] one = DropoutMasks.keepMask(n, 0.3f, new Xoshiro256Random(9));
            Workers.setThreads(2);
            byte[] two = DropoutMasks.keepMask(n, 0.3f, new Xoshiro256Random(9));
            Workers.setThreads(3);
            byte[] three = DropoutMasks.keepMask(n, 0.3f, new Xoshiro256Random(9));
            assertArrayEquals(one, two);
            assertArrayEquals(one, three);
        } finally {
            Workers.setThreads(before);
        }
    }

    @Test
    void eachCallDrawsANewMaskAndPOneDropsAll() {
        Xoshiro256Random rng = new Xoshiro256Random(1);
        byte[] a = DropoutMasks.keepMask(10_000, 0.5f, rng);
        byte[] b = DropoutMasks.keepMask(10_000, 0.5f, rng);
        assertFalse(Arrays.equals(a, b));
        byte[] all = DropoutMasks.keepMask(1000, 1f, rng);
        for (byte m : all) assertEquals(0, m);
        byte[] none = DropoutMasks.keepMask(1000, 0f, rng);
        for (byte m : none) assertEquals(1, m);
    }
}
