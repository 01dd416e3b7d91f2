package dev.resumo.engine.rng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Xoshiro256RandomTest {
    @Test
    void restoredStateContinuesTheExactSequence() {
        Xoshiro256Random a = new Xoshiro256Random(7);
        for (int i = 0; i < 100; i++) a.nextGaussian();
        long[] saved = a.state();
        double[] expected = new double[50];
        for (int i = 0; i < expected.length; i++) expected[i] = i % 2 == 0 ? a.nextGaussian() : a.nextFloat();

        Xoshiro256Random b = new Xoshiro256Random(999);
        b.setState(saved);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], i % 2 == 0 ? b.nextGaussian() : b.nextFloat(), 0.0, "draw " + i);
        }
        assertArrayEquals(a.state(), b.state());
    }

    @Test
    void seedsAndStreamsGiveDifferentSequences() {
        assertEquals(new Xoshiro256Random(1).nextLong(), new Xoshiro256Random(1).nextLong());
        assertNotEquals(new Xoshiro256Random(1).nextLong(), new Xoshiro256Random(2).nextLong());
        assertNotEquals(Xoshiro256Random.derived(1, 0).nextLong(), Xoshiro256Random.derived(1, 1).nextLong());
    }

    @Test
    void uniformAndGaussianHaveTheRightMoments() {
        Xoshiro256Random r = new Xoshiro256Random(3);
        int n = 200_000;
        double sum = 0, sumSq = 0, uSum = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            sum += g;
            sumSq += g * g;
            float u = r.nextFloat();
            if (u < 0f || u >= 1f) throw new AssertionError("nextFloat out of [0,1): " + u);
            uSum += u;
        }
        // 200k draws: standard error of the mean ≈ 0.0022, of the variance ≈ 0.0032; 5 sigma bounds.
        assertEquals(0.0, sum / n, 0.012);
        assertEquals(1.0, sumSq / n, 0.016);
        assertEquals(0.5, uSum / n, 0.004);
    }

    @Test
    void rejectsAnInvalidState() {
        Xoshiro256Random r = new Xoshiro256Random(1);
        assertThrows(IllegalArgumentException.class, () -> r.setState(new long[3]));
        assertThrows(IllegalArgumentException.class, () -> r.setState(new long[4]));
    }
}
