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
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextDouble() * 175.3 - 87.3);
        for (int i = 0; i < 64; i++) x[i] = -0.35f + i * 0.011f; // around the reduction boundary ±ln2/2
        float[] y = exp(x);
        double worst = 0;
        for (int i = 0; i < x.length; i++) worst = Math.max(worst, ulps(y[i], Math.exp(x[i])));
        assertTrue(worst <= 2.0, "worst error " + worst + " ulp");
    }

    @Test
    void edgesFollowFloatExpWhereCallersNeedThem() {
        float[] cases = {0f, -0f, -88f, -100f, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f, 88f, 1e-8f, -1e-8f, 10f,
            -87.5f, -87.2f, -3.4028235e38f, 120f};
        float[] x = new float[Math.max(L, 16) * ((cases.length + L - 1) / L)];
        System.arraycopy(cases, 0, x, 0, cases.length);
        float[] y = exp(x);
        assertEquals(1f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals(0f, y[2]); // below float's normal range: flushed to 0
        assertEquals(0f, y[3]);
        assertEquals(0f, y[4]); // a masked score: exp(-inf) = 0
        assertTrue(Float.isNaN(y[5]));
        assertTrue(ulps(y[6], Math.E) <= 1, "exp(1) = " + y[6]);
        assertTrue(ulps(y[7], Math.exp(-1)) <= 1, "exp(-1) = " + y[7]);
        assertTrue(ulps(y[8], Math.exp(88)) <= 2, "exp(88) = " + y[8]);
        assertEquals(1f, y[9]);
        assertEquals(1f, y[10]);
        assertTrue(ulps(y[11], Math.exp(10)) <= 2);
        assertTrue(y[12] >= 0f && y[12] < 1.2e-38f, "exp(-87.5) = " + y[12]); // subnormal or 0, never garbage
        assertTrue(Math.abs(y[13] / Math.exp(-87.2f) - 1) <= 1e-6, "exp(-87.2) = " + y[13]);
        assertEquals(0f, y[14]); // -Float.MAX_VALUE (finfo.min masks)
        assertEquals((float) Math.exp(88), y[15], Math.ulp((float) Math.exp(88)) * 2); // saturates (documented)
    }

    @Test
    void scalarExpHasTheBitsOfTheVectorLanes() {
        // Row tails use the scalar form; a row must get the same bits whichever form computed an element.
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[L * 40_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 4) {
                case 0 -> (float) (random.nextDouble() * 176 - 88);
                case 1 -> (float) (random.nextDouble() * -200);       // clamped and subnormal outputs
                case 2 -> Float.intBitsToFloat(random.nextInt());     // any bits: NaN, ∞, huge, tiny
                default -> (float) (random.nextDouble() * 0.7 - 0.35); // around the reduction boundary
            };
        }
        float[] edges = {0f, -0f, -88f, 88f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -87.33655f,
            Float.MIN_VALUE, -Float.MAX_VALUE};
        System.arraycopy(edges, 0, x, 0, edges.length);
        float[] y = exp(x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(VectorExp.exp(x[i])), "exp(" + x[i] + ")");
        }
    }
}
