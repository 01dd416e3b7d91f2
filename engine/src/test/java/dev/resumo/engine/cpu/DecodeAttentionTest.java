package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fused decode attention against a plain double-precision softmax(q·kᵀ + bias + mask)·v. */
class DecodeAttentionTest {
    // float32 dot products and softmax of O(1) values vs a double reference: a few ulps of ~1.
    private static final double TOLERANCE = 1e-5;

    @Test
    void matchesPlainAttentionWithSlotsBiasAndMask() {
        Random rng = new Random(9);
        int rows = 3, heads = 2, dKv = 19, length = 7, capacity = 9, inner = heads * dKv; // dKv with a vector tail
        float[] q = random(rng, rows * inner);
        float[] k = random(rng, rows * capacity * inner);
        float[] v = random(rng, rows * capacity * inner);
        int[] slots = new int[rows * capacity];
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < length; p++) slots[r * capacity + p] = (r + p) % rows; // rows share histories
        }
        float[] bias = random(rng, heads * length);
        float[] mask = new float[rows * length];
        mask[length - 1] = -Float.MAX_VALUE; // row 0 may not see its last position
        float[] out = new float[rows * inner];
        DecodeAttention.attend(rows, heads, dKv, length, q, 0,
                new DecodeAttention.KvLayout(k, v, 0, capacity * inner, inner, slots, capacity),
                bias, 0, length, mask, 0, length, out, 0);
        double worst = 0;
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < heads; h++) {
                double[] s = new double[length];
                double max = Double.NEGATIVE_INFINITY;
                for (int p = 0; p < length; p++) {
                    int at = (slots[r * capacity + p] * capacity + p) * inner + h * dKv;
                    double dot = 0;
                    for (int d = 0; d < dKv; d++) dot += (double) q[r * inner + h * dKv + d] * k[at + d];
                    s[p] = dot + (bias[h * length + p] + mask[r * length + p]);
                    max = Math.max(max, s[p]);
                }
                double sum = 0;
                for (int p = 0; p < length; p++) sum += s[p] = Math.exp(s[p] - max);
                for (int d = 0; d < dKv; d++) {
                    double expected = 0;
                    for (int p = 0; p < length; p++) {
                        expected += s[p] / sum * v[(slots[r * capacity + p] * capacity + p) * inner + h * dKv + d];
                    }
                    worst = Math.max(worst, Math.abs(expected - out[r * inner + h * dKv + d]));
                }
            }
        }
        assertTrue(worst <= TOLERANCE, "max abs diff " + worst);
        System.out.println("DecodeAttentionTest: " + rows * heads * dKv + " outputs checked, max abs diff " + worst);
    }

    @Test
    void blockedKernelGivesTheBitsOfOnePositionAtATime() {
        // d_kv a multiple of the vector length takes the blocked kernel (scores of a vector of
        // positions reduced together); it must give exactly the bits of the per-position kernel,
        // with and without bias and mask, for lengths with and without a tail of positions.
        Random rng = new Random(4);
        int checked = 0;
        for (int dKv : new int[] {16, 32, 64}) {
            for (int length : new int[] {1, 15, 16, 37, 64}) {
                for (int variant = 0; variant < 3; variant++) {
                    int rows = 3, heads = 2, capacity = length + 2, inner = heads * dKv;
                    float[] q = random(rng, rows * inner);
                    float[] k = random(rng, rows * capacity * inner);
                    float[] v = random(rng, rows * capacity * inner);
                    int[] slots = new int[rows * capacity];
                    for (int r = 0; r < rows; r++) {
                        for (int p = 0; p < length; p++) slots[r * capacity + p] = (r * 7 + p) % rows;
                    }
                    float[] bias = variant == 1 ? null : random(rng, heads * length);
                    float[] mask = variant == 2 ? null : new float[rows * length];
                    if (mask != null) mask[length - 1] = -1e9f;
                    var layout = new DecodeAttention.KvLayout(k, v, 0, capacity * inner, inner, slots, capacity);
                    float[] blocked = new float[rows * inner], plain = new float[rows * inner];
                    DecodeAttention.attend(rows, heads, dKv, length, q, 0, layout, bias, 0, length, mask, 0, length,
                            blocked, 0, true);
                    DecodeAttention.attend(rows, heads, dKv, length, q, 0, layout, bias, 0, length, mask, 0, length,
                            plain, 0, false);
                    for (int i = 0; i < blocked.length; i++) {
                        assertEquals(Float.floatToRawIntBits(plain[i]), Float.floatToRawIntBits(blocked[i]),
                                "d_kv " + dKv + ", length " + length + ", variant " + variant + ", output " + i);
                    }
                    checked++;
                }
            }
        }
        System.out.println("DecodeAttentionTest: " + checked + " blocked attentions compared bit for bit");
    }

    private static float[] random(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }
}
