package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Forward semantics that the gradient checks do not pin down (masking edge cases, dropout mask
 * order, the ignore rules of cross-entropy), and large shapes that take the kernels' long-row
 * and multi-task paths, each against the plain double loops of {@link Ref}.
 */
class ForwardTest {
    /** float32 rounding over rows of up to ~1000 terms. */
    private static final double TOL = 1e-4;

    private static void matchesRef(String name, Tensor got, Ref want) {
        assertArrayEquals(want.shape, got.shape(), name + " shape");
        float[] g = got.toArray();
        double scale = 0;
        for (double v : want.v) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < g.length; i++) {
            assertTrue(Math.abs(g[i] - want.v[i]) <= TOL * (Math.abs(want.v[i]) + scale),
                    name + "[" + i + "] = " + g[i] + ", reference " + want.v[i]);
        }
    }

    private static void large(String name, long seed, Function<Tensor[], Tensor> op, Function<Ref[], Ref> ref, int[]... shapes) {
        Random rng = new Random(seed);
        Tensor[] t = new Tensor[shapes.length];
        Ref[] r = new Ref[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            t[i] = Tensor.randn(rng, 1f, shapes[i]);
            r[i] = Ref.of(t[i]);
        }
        matchesRef(name, op.apply(t), ref.apply(r));
    }

    @Test
    void largeShapesMatchTheReference() {
        large("add", 1, t -> Ops.add(t[0], t[1]), r -> Ref.add(r[0], r[1]), new int[] {300, 257}, new int[] {257});
        large("mul 3-way broadcast", 2, t -> Ops.mul(t[0], t[1]), r -> Ref.mul(r[0], r[1]),
                new int[] {40, 1, 300}, new int[] {1, 30, 300});
        large("sub column", 3, t -> Ops.sub(t[0], t[1]), r -> Ref.sub(r[0], r[1]), new int[] {500, 1}, new int[] {500, 90});
        large("softmax", 4, t -> Ops.softmax(t[0], t[1]), r -> Ref.softmax(r[0], r[1]), new int[] {200, 300}, new int[] {1, 300});
        large("rmsNorm", 5, t -> Ops.rmsNorm(t[0], t[1], 1e-6f), r -> Ref.rmsNorm(r[0], r[1], 1e-6), new int[] {300, 200}, new int[] {200});
        large("sum axis 0", 6, t -> Ops.sum(t[0], 0, false), r -> Ref.sum(r[0], 0, false), new int[] {300, 200});
        large("sum axis 1", 7, t -> Ops.sum(t[0], 1, true), r -> Ref.sum(r[0], 1, true), new int[] {300, 200});
        large("sum", 8, t -> Ops.sum(t[0]), r -> Ref.sum(r[0]), new int[] {300, 400});
        large("gelu", 9, t -> Ops.gelu(t[0]), r -> Ref.gelu(r[0]), new int[] {300, 201});
        large("geluErf", 17, t -> Ops.geluErf(t[0]), r -> Ref.geluErf(r[0]), new int[] {300, 201});
        large("silu", 18, t -> Ops.silu(t[0]), r -> Ref.silu(r[0]), new int[] {300, 201});
        large("relu", 10, t -> Ops.relu(t[0]), r -> Ref.relu(r[0]), new int[] {300, 201});
        large("scale", 11, t -> Ops.scale(t[0], 0.5f), r -> Ref.scale(r[0], 0.5), new int[] {300, 201});
        large("matmul batched", 12, t -> Ops.matmul(t[0], t[1]), r -> Ref.matmul(r[0], r[1], false, false),
                new int[] {3, 64, 48}, new int[] {48, 40});
        large("matmul transB batched", 13, t -> Ops.matmul(t[0], t[1], false, true), r -> Ref.matmul(r[0], r[1], false, true),
                new int[] {2, 3, 20, 16}, new int[] {2, 3, 24, 16});
        large("transpose copy", 14, t -> Ops.transpose(t[0], 0, 2).contiguous(), r -> Ref.transpose(r[0], 0, 2),
                new int[] {30, 40, 50});
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 9 == 0 ? -100 : (i * 37) % 1000;
        large("crossEntropy", 15, t -> Ops.crossEntropy(t[0], labels, -100), r -> Ref.crossEntropy(r[0], labels, -100),
                new int[] {100, 1000});
        int[] ids = new int[500];
        for (int i = 0; i < ids.length; i++) ids[i] = (i * 7919) % 1000;
        large("embedding", 16, t -> Ops.embedding(t[0], ids, 20, 25), r -> Ref.embedding(r[0], ids, 20, 25), new int[] {1000, 64});
    }

    @Test
    void geluIsTheTanhApproximation() {
        Tensor y = Ops.gelu(Tensor.of(new float[] {1f, -1f, 0f, 3f}, 4));
        // gelu_new(1) = 0.5·(1 + tanh(√(2/π)·1.044715)) = 0.8411920 (PyTorch's value for gelu(approximate='tanh')).
        assertEquals(0.8411920f, y.get(0), 1e-6f);
        assertEquals(-0.1588080f, y.get(1), 1e-6f);
        assertEquals(0f, y.get(2));
        assertEquals(2.9963627f, y.get(3), 1e-5f);
    }

    @Test
    void exactGeluAndSiluGivePyTorchsValues() {
        float[] x = {1f, -1f, 0f, 3f, -6f, -12f};
        // x·Φ(x) and x·σ(x) in double (math.erfc), rounded; torch's float32 gelu/silu agree within 6e-7
        // except in the far tail, where torch's 1 + erf(x/√2) rounds to 0 and its gelu(-6) is -0.
        float[] gelu = {0.8413447f, -0.15865525f, 0f, 2.9959503f, -5.9195e-09f, -2.1318e-32f};
        float[] silu = {0.7310586f, -0.26894142f, 0f, 2.8577223f, -0.014835738f, -7.3730095e-05f};
        float[] g = Ops.geluErf(Tensor.of(x, 6)).toArray();
        float[] s = Ops.silu(Tensor.of(x, 6)).toArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(gelu[i], g[i], 2e-7f * Math.max(1f, Math.abs(gelu[i])), "gelu(" + x[i] + ")");
            assertEquals(silu[i], s[i], 2e-7f * Math.max(1f, Math.abs(silu[i])), "silu(" + x[i] + ")");
        }
        // far in the tail the exact GELU keeps relative precision (1 + erf would round to 0)
        assertEquals(-5.9195e-09f, g[4], 1e-12f);
        assertEquals(-2.1318e-32f, g[5], 1e-35f);
    }

    @Test
    void rmsNormPutsEpsInsideTheRoot() {
        Tensor y = Ops.rmsNorm(Tensor.of(new float[] {3, 4}, 1, 2), Tensor.of(new float[] {1, 2}, 2), 0.5f);
        float inv = (float) (1 / Math.sqrt((9 + 16) / 2.0 + 0.5));
        assertArrayEquals(new float[] {3 * inv, 8 * inv}, y.toArray(), 1e-6f);
    }

    @Test
    void softmaxMasking() {
        float ninf = Float.NEGATIVE_INFINITY, fmin = -Float.MAX_VALUE;
        Tensor x = Tensor.of(new float[] {1, 2, 3, 1, 2, 3, 1, 2, 3}, 3, 3);
        Tensor mask = Tensor.of(new float[] {0, ninf, 0, ninf, ninf, ninf, fmin, fmin, fmin}, 3, 3);
        float[] y = Ops.softmax(x, mask).toArray();
        double e = Math.exp(-2);
        assertEquals(e / (1 + e), y[0], 1e-6);
        assertEquals(0f, y[1], "a -inf entry gets exactly zero probability");
        assertEquals(1 / (1 + e), y[2], 1e-6);
        assertArrayEquals(new float[] {0, 0, 0}, new float[] {y[3], y[4], y[5]}, "a fully -inf row gives zeros, not NaN");
        // x + finfo.min rounds to finfo.min for every entry: uniform, exactly as PyTorch.
        assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 1 / 3f}, new float[] {y[6], y[7], y[8]}, 1e-6f);
    }

    @Test
    void crossEntropyIgnoresLabelsAndHandlesAllIgnored() {
        Tensor logits = Tensor.zeros(2, 4).requiresGrad(true);
        Tensor loss = Ops.crossEntropy(logits, new int[] {1, -100}, -100);
        assertEquals((float) Math.log(4), loss.item(), 1e-6f);
        loss.backward();
        assertArrayEquals(new float[] {0.25f, -0.75f, 0.25f, 0.25f, 0, 0, 0, 0}, logits.grad().toArray(), 1e-6f);

        Tensor none = Tensor.zeros(2, 4).requiresGrad(true);
        Tensor zero = Ops.crossEntropy(none, new int[] {-100, -100}, -100);
        assertEquals(0f, zero.item(), "no counted token: loss 0 (documented; PyTorch gives NaN)");
        zero.backward();
        assertArrayEquals(new float[8], none.grad().toArray());
    }

    @Test
    void crossEntropyIsStableForLargeLogits() {
        Tensor loss = Ops.crossEntropy(Tensor.of(new float[] {1000f, 0f}, 1, 2), new int[] {1}, -100);
        assertEquals(1000f, loss.item(), 1e-3f);
    }

    @Test
    void dropoutKeepsByAHashOfOneSeedAndTheRowMajorIndex() {
        Tensor x = Tensor.randn(new Random(1), 1f, 33, 7).transpose(0, 1); // a view: order is the logical one
        float[] xs = x.toArray();
        float[] y = Ops.dropout(x, 0.25f, new Random(42)).toArray();
        long seed = new Random(42).nextLong(); // one draw per call
        int kept = 0;
        for (int i = 0; i < xs.length; i++) {
            boolean keep = Ref.dropoutDraw(seed, i) >= 0.25f;
            assertEquals(keep ? xs[i] / 0.75f : 0f, y[i], 1e-6f, "element " + i);
            if (keep) kept++;
        }
        assertTrue(kept > 0 && kept < xs.length);
        assertSame(x, Ops.dropout(x, 0f, new Random(1)), "p = 0 is the identity");
        assertArrayEquals(new float[xs.length], Ops.dropout(x, 1f, new Random(1)).toArray(), 0f,
                "p = 1 drops everything");
    }

    @Test
    void sliceAndConcatRoundTrip() {
        Tensor x = Tensor.randn(new Random(3), 1f, 4, 5, 6);
        for (int axis = 0; axis < 3; axis++) {
            int n = x.dim(axis);
            Tensor joined = Ops.concat(axis, Ops.slice(x, axis, 0, 1), Ops.slice(x, axis, 1, n - 2), Ops.slice(x, axis, n - 2, n));
            assertArrayEquals(x.toArray(), joined.toArray(), "axis " + axis);
        }
    }

    @Test
    void emptyShapesGiveEmptyOrZeroResults() {
        Tensor a = Tensor.randn(new Random(4), 1f, 3, 0).requiresGrad(true);
        Tensor b = Tensor.randn(new Random(5), 1f, 0, 2).requiresGrad(true);
        Tensor c = Ops.matmul(a, b);
        assertArrayEquals(new float[6], c.toArray(), "k = 0: a sum of nothing");
        Ops.sum(c).backward();
        assertArrayEquals(new int[] {3, 0}, a.grad().shape());
        assertArrayEquals(new int[] {2, 0}, Ops.slice(Tensor.zeros(2, 3), 1, 1, 1).shape());
        assertEquals(0f, Ops.sum(Tensor.zeros(0)).item());
    }

    @Test
    void tensorBasics() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(data, 2, 3);
        assertSame(data, t.data(), "of() wraps without copying");
        int[] shape = t.shape();
        shape[0] = 99;
        assertArrayEquals(new int[] {2, 3}, t.shape(), "shape() is a copy");
        assertEquals(3, t.dim(-1));
        assertEquals(2, t.rank());
        assertEquals(6, t.size());
        assertEquals(6f, t.get(1, 2));
        Tensor tt = t.transpose(0, 1);
        assertEquals(6f, tt.get(2, 1));
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, tt.toArray());
        assertEquals(0, Tensor.scalar(2f).rank());
        assertEquals(2f, Tensor.scalar(2f).item());
        assertArrayEquals(new float[] {7, 7}, Tensor.full(7, 2).toArray());
        assertArrayEquals(Tensor.randn(new Random(9), 2f, 3).toArray(), Tensor.randn(new Random(9), 2f, 3).toArray());
        assertEquals("Tensor[3, 2] [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]", tt.toString());
        assertEquals("Tensor[10] [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ...]", Tensor.zeros(10).toString());
        assertEquals(3.5f, t.mean().item());
        assertEquals(21f, t.sum().item());
    }
}
