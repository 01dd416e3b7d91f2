package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp(x) on a whole vector for the arguments softmax and cross-entropy pass (x − max ≤ 0), built
 * only from lanewise min/max, add, multiply, fused multiply-add and integer bit operations —
 * operations IEEE 754 (and the Java spec) define exactly, so the result has the same bits in the
 * interpreter, C1 and C2. That is why it exists: the Vector API's own {@code lanewise(EXP)} calls a
 * math stub whose last bits differ from its Java fallback, which broke bit-identical resume (see
 * {@link LaneSums}); scalar {@code Math.exp} is exact across tiers but one element at a time, and
 * it cost ~10% of a training step in softmax and cross-entropy.
 *
 * <p>Method (as in Cephes / SLEEF): x clamped to [-88, 88]; n = round(x·log2 e) by the 1.5·2²³
 * shifter (an add and a subtract, no float→int conversion); f = x − n·ln 2 in two parts
 * (Cody–Waite); exp(f) by a degree-7 Taylor polynomial in Horner form with FMAs (truncation error
 * below 6e-9 for |f| ≤ ln2/2); times 2ⁿ built in the exponent bits. Within 2 ulp of exp over
 * [-87.3, 88] (VectorExpTest). Below about -87.3 the result falls to subnormals and then exactly 0
 * (n = -127 gives a zero scale), as float exp does; -∞ gives 0; NaN stays NaN. Above 88 the result
 * saturates at exp(88) ≈ 1.65e38 instead of growing to ∞: no caller passes a positive argument.
 *
 * <p>No masks or blends: with them C2 left parts of the inlined kernel as Java fallbacks (measured
 * 5x slower), so the edges are handled by the clamp alone.
 */
public final class VectorExp {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final float SHIFTER = 12582912f; // 1.5·2²³: adding it rounds to an integer

    private static final FloatVector LOW = FloatVector.broadcast(S, -88f);
    private static final FloatVector HIGH = FloatVector.broadcast(S, 88f);
    private static final FloatVector LOG2E = FloatVector.broadcast(S, 1.44269504088896341f);
    private static final FloatVector SHIFTER_V = FloatVector.broadcast(S, SHIFTER);
    private static final FloatVector MINUS_LN2_HI = FloatVector.broadcast(S, -0.693359375f);
    private static final FloatVector MINUS_LN2_LO = FloatVector.broadcast(S, 2.12194440e-4f);
    private static final FloatVector C7 = FloatVector.broadcast(S, 1f / 5040f);
    private static final FloatVector C6 = FloatVector.broadcast(S, 1f / 720f);
    private static final FloatVector C5 = FloatVector.broadcast(S, 1f / 120f);
    private static final FloatVector C4 = FloatVector.broadcast(S, 1f / 24f);
    private static final FloatVector C3 = FloatVector.broadcast(S, 1f / 6f);
    private static final FloatVector C2 = FloatVector.broadcast(S, 0.5f);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    /** Turns the shifter's bits (SHIFTER + n) into the biased exponent n + 127. */
    private static final IntVector EXPONENT_BIAS = IntVector.broadcast(I, 127 - Float.floatToRawIntBits(SHIFTER));

    private VectorExp() {}

    /** exp of every lane (x ≤ 88; see the class comment). */
    public static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(LOW).min(HIGH);
        FloatVector shifted = clamped.fma(LOG2E, SHIFTER_V);
        FloatVector n = shifted.sub(SHIFTER_V);
        FloatVector f = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, clamped));
        FloatVector p = f.fma(C7, C6).fma(f, C5).fma(f, C4).fma(f, C3).fma(f, C2).fma(f, ONE).fma(f, ONE);
        IntVector bits = (IntVector) shifted.convertShape(VectorOperators.REINTERPRET_F2I, I, 0);
        FloatVector scale = (FloatVector) bits.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 23)
                .convertShape(VectorOperators.REINTERPRET_I2F, S, 0);
        return p.mul(scale);
    }

    /**
     * exp(x) on one float with the bits of {@link #exp}'s lanes: the same IEEE operations in the
     * same order (Math.max/min are the vector MAX/MIN, Math.fma the lanewise FMA). For row tails.
     * Why not a broadcast into {@link #exp}: a tail's call site is cold when C2 compiles the
     * kernel around it, so C2 may not inline {@link #exp} there, and a vector passed to a call
     * that is not inlined is boxed — per tail element, for the whole run (JFR: ~0.4 GB a greedy
     * batch-8 run from the decoding self-attention's softmax tails).
     */
    public static float exp(float x) {
        float clamped = Math.min(Math.max(x, -88f), 88f);
        float shifted = Math.fma(clamped, 1.44269504088896341f, SHIFTER);
        float n = shifted - SHIFTER;
        float f = Math.fma(n, 2.12194440e-4f, Math.fma(n, -0.693359375f, clamped));
        float p = Math.fma(f, 1f / 5040f, 1f / 720f);
        p = Math.fma(p, f, 1f / 120f);
        p = Math.fma(p, f, 1f / 24f);
        p = Math.fma(p, f, 1f / 6f);
        p = Math.fma(p, f, 0.5f);
        p = Math.fma(p, f, 1f);
        p = Math.fma(p, f, 1f);
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(shifted) + (127 - Float.floatToRawIntBits(SHIFTER))) << 23);
        return p * scale;
    }
}
