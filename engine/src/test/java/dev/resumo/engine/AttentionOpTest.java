package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The fused attention op against the same computation composed from reshape, transpose, matmul,
 * softmax and dropout (each of those is gradient-checked in GradientCheckTest): outputs and the
 * gradients of q, k, v and the bias. Tolerance 1e-5 relative to the largest value: the fused op
 * runs the same GEMM calls and softmax row kernel, so only the order of gradient accumulation into
 * a broadcast bias can differ.
 */
class AttentionOpTest {
    private static Tensor random(Random r, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return Tensor.of(x, shape).requiresGrad(true);
    }

    private record Run(float[] out, float[] dq, float[] dk, float[] dv, float[][] dBias) {}

    /** biasParts: leaves summed (broadcasting) into the bias, as T5 adds position bias and padding mask. */
    private static Run run(boolean fused, Tensor q, Tensor k, Tensor v, Tensor[] biasParts, int heads, float p, long seed) {
        for (Tensor t : new Tensor[] {q, k, v}) t.zeroGrad();
        for (Tensor t : biasParts) t.zeroGrad();
        Tensor bias = null;
        for (Tensor t : biasParts) bias = bias == null ? t : Ops.add(bias, t);
        Random rng = new Random(seed);
        Tensor out = fused ? Ops.attention(q, k, v, bias, heads, p, rng) : AttentionOp.composed(q, k, v, bias, heads, p, rng);
        // A loss that weights every output differently, so every gradient entry matters.
        float[] w = new float[out.size()];
        for (int i = 0; i < w.length; i++) w[i] = (float) Math.sin(i * 0.37);
        Ops.sum(Ops.mul(out, Tensor.of(w, out.shape()))).backward();
        float[][] dBias = new float[biasParts.length][];
        for (int i = 0; i < biasParts.length; i++) dBias[i] = biasParts[i].grad().toArray();
        return new Run(out.toArray(), q.grad().toArray(), k.grad().toArray(), v.grad().toArray(), dBias);
    }

    private static void close(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        double scale = 1e-30;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-5 * scale,
                    what + "[" + i + "]: composed " + expected[i] + ", fused " + actual[i]);
        }
    }

    @ParameterizedTest(name = "B{0} Q{1} K{2} heads{3} d{4} bias {5} dropout {6}")
    @CsvSource({
        "2, 7, 7, 3, 5, full, 0",
        "2, 33, 17, 2, 8, positions, 0",
        "3, 5, 19, 4, 3, padding, 0",
        "2, 16, 16, 2, 16, positions+padding, 0.3",
        "1, 1, 9, 1, 7, none, 0",
        "2, 40, 40, 8, 64, positions+padding, 0.1"
    })
    void matchesTheComposedOps(int batch, int queries, int keys, int heads, int d, String biasKind, float p) {
        Random r = new Random(batch * 1000 + queries * 31 + keys);
        Tensor q = random(r, batch, queries, heads * d);
        Tensor k = random(r, batch, keys, heads * d);
        Tensor v = random(r, batch, keys, heads * d);
        Tensor[] bias = switch (biasKind) {
            case "full" -> new Tensor[] {random(r, batch, heads, queries, keys)};
            case "positions" -> new Tensor[] {random(r, 1, heads, queries, keys)};
            case "padding" -> new Tensor[] {random(r, batch, 1, 1, keys)};
            case "positions+padding" -> new Tensor[] {random(r, 1, heads, queries, keys), random(r, batch, 1, 1, keys)};
            default -> new Tensor[0];
        };
        Run composed = run(false, q, k, v, bias, heads, p, 42);
        Run fused = run(true, q, k, v, bias, heads, p, 42);
        close(composed.out, fused.out, "output");
        close(composed.dq, fused.dq, "dq");
        close(composed.dk, fused.dk, "dk");
        close(composed.dv, fused.dv, "dv");
        for (int i = 0; i < bias.length; i++) close(composed.dBias[i], fused.dBias[i], "dbias" + i);
    }

    @Test
    void maskedKeysGetNoWeightAndFullyMaskedRowsGiveZeros() {
        int heads = 1, d = 4, keys = 6;
        Random r = new Random(3);
        Tensor q = random(r, 1, 2, d), k = random(r, 1, keys, d), v = random(r, 1, keys, d);
        float[] mask = new float[2 * keys];
        for (int j = 3; j < keys; j++) mask[j] = Float.NEGATIVE_INFINITY; // row 0: keys 3.. masked
        for (int j = 0; j < keys; j++) mask[keys + j] = Float.NEGATIVE_INFINITY; // row 1: all masked
        Tensor out = Ops.attention(q, k, v, Tensor.of(mask, 1, 1, 2, keys), heads, 0f, null);
        Tensor onlyFirst = Ops.attention(q, Ops.slice(k, 1, 0, 3), Ops.slice(v, 1, 0, 3), null, heads, 0f, null);
        float[] o = out.toArray();
        float[] expected = onlyFirst.toArray();
        for (int c = 0; c < d; c++) assertEquals(expected[c], o[c], 1e-6f, "row 0 ignores masked keys");
        assertArrayEquals(new float[d], java.util.Arrays.copyOfRange(o, d, 2 * d), "a fully masked row is zeros");
    }

    @Test
    void badShapesAreNamed() {
        Random r = new Random(1);
        Tensor q = random(r, 2, 3, 8), k = random(r, 2, 4, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.attention(q, k, random(r, 2, 5, 8), null, 2, 0f, null));
        assertTrue(e.getMessage().contains("do not match"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ops.attention(q, k, k, null, 3, 0f, null));
        assertTrue(e.getMessage().contains("multiple of heads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ops.attention(q, k, k, random(r, 2, 2, 3, 5), 2, 0f, null));
        assertTrue(e.getMessage().contains("does not broadcast"), e.getMessage());
    }
}
