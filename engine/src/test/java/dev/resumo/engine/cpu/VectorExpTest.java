package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorExpTest {
    private static final int L = VectorExp.S.length();

    private static float[] exp(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += L) VectorExp.exp(FloatVector.fromArray(VectorExp.S, x, i)).intoArray(y, i);
        return y;
    }

    /** Ulps between a float result and the exact (double) exp, in units of the float's ulp. */
    private static double ulps(float got, double exact) {
        return Math.abs(got - exact) / Math.ulp((float) exact);
    }

    @Test
    void withinTwoUlpOfExpOverTheNormalRange() {
        // 2 ulp: the polynomial is accurate to 6e-9 relative; the rest is float rounding of the
        // range reduction and the Horner steps. Softmax and cross-entropy need far less.
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[L * 20_000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextDouble() * 175.9 - 87.3);
        for (int i = 0; i < 64; i++) x[i] = -0.35f + i * 0.011f; // around the reduction boundary ±ln2/2
        float[] y = exp(x);
        double worst = 0;
        for (int i = 0; i < x.length; i++) worst = Math.max(worst, ulps(y[i], Math.exp(x[i])));
        assertTrue(worst <= 2.0, "worst error " + worst + " ulp");
    }

    @Test
    void edgesMatchFloatExp() {
        float[] x = new float[L * 2];
        float[] cases = {0f, -0f, -88f, -100f, Float.NEGATIVE_INFINITY, 88.5f, 88.8f, Float.POSITIVE_INFINITY,
            Float.NaN, 1f, -1f, 88f, -87.3f, 1e-8f, -1e-8f, 10f};
        System.arraycopy(cases, 0, x, 0, Math.min(cases.length, x.length));
        float[] y = exp(x);
        assertEquals(1f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals(0f, y[2]); // subnormal in float: flushed
        assertEquals(0f, y[3]);
        assertEquals(0f, y[4]);
        assertTrue(ulps(y[5], Math.exp(88.5)) <= 2, "exp(88.5) = " + y[5]);
        assertEquals(Float.POSITIVE_INFINITY, y[6]);
        assertEquals(Float.POSITIVE_INFINITY, y[7]);
        assertTrue(Float.isNaN(y[8]));
        if (L >= 16) {
            assertTrue(ulps(y[9], Math.E) <= 1, "exp(1) = " + y[9]);
            assertTrue(ulps(y[11], Math.exp(88)) <= 2, "exp(88) = " + y[11]);
            assertEquals(1f, y[13]);
            assertTrue(ulps(y[15], Math.exp(10)) <= 2);
        }
    }
}
