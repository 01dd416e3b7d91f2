package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tape behaviour: recording, no-grad scopes, accumulation, freeing, ownership of gradients. */
class AutogradTest {
    private static Tensor param(float... values) {
        return Tensor.of(values, values.length).requiresGrad(true);
    }

    @Test
    void opResultsRecordANodeOnlyWhenAnInputNeedsAGrad() {
        Tensor w = param(1, 2, 3);
        Tensor c = Tensor.of(new float[] {4, 5, 6}, 3);
        assertEquals("mul", Ops.mul(w, c).gradFn());
        assertTrue(Ops.mul(w, c).requiresGrad());
        assertNull(Ops.mul(c, c).gradFn());
        assertFalse(Ops.mul(c, c).requiresGrad());
    }

    @Test
    void noGradRecordsNothingForAnyOp() {
        Tensor x = Tensor.randn(new Random(1), 1f, 2, 3, 4).requiresGrad(true);
        Tensor w = Tensor.randn(new Random(2), 1f, 4).requiresGrad(true);
        assertTrue(Autograd.isGradEnabled());
        try (var _ = Autograd.noGrad()) {
            assertFalse(Autograd.isGradEnabled());
            Tensor[] results = {
                Ops.add(x, w), Ops.sub(x, w), Ops.mul(x, w), Ops.div(x, w), Ops.scale(x, 2f),
                Ops.matmul(x, Ops.reshape(w, 4, 1)), Ops.sum(x), Ops.sum(x, 1, true), Ops.mean(x),
                Ops.mean(x, 2, false), Ops.relu(x), Ops.gelu(x), Ops.softmax(x, w), Ops.rmsNorm(x, w, 1e-6f),
                Ops.dropout(x, 0.5f, new Random(3)), Ops.embedding(Ops.reshape(x, 6, 4), new int[] {1, 2}, 2),
                Ops.crossEntropy(x, new int[] {0, 1, 2, 3, 0, 1}, -100), Ops.concat(0, x, x),
                Ops.slice(x, 1, 0, 2), Ops.reshape(x, 6, 4), Ops.transpose(x, 0, 2),
                Ops.transpose(x, 0, 2).contiguous(),
            };
            for (Tensor r : results) {
                assertNull(r.gradFn(), "recorded under noGrad: " + r);
                assertFalse(r.requiresGrad(), "requires grad under noGrad: " + r);
            }
        }
        assertTrue(Autograd.isGradEnabled());
        assertEquals("add", Ops.add(x, w).gradFn());
    }

    @Test
    void noGradScopesNestAndArePerThread() throws Exception {
        try (var _ = Autograd.noGrad()) {
            try (var _ = Autograd.noGrad()) {
                assertFalse(Autograd.isGradEnabled());
            }
            assertFalse(Autograd.isGradEnabled(), "closing the inner scope must keep the outer one");
            boolean[] other = new boolean[1];
            Thread t = new Thread(() -> other[0] = Autograd.isGradEnabled());
            t.start();
            t.join();
            assertTrue(other[0], "another thread is not affected");
        }
        assertTrue(Autograd.isGradEnabled());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor w = param(1, -2, 3);
        Tensor loss = Ops.sum(Ops.mul(w, w)); // d/dw = 2w
        loss.backward();
        assertArrayEquals(new float[] {2, -4, 6}, w.grad().toArray());
        loss.backward();
        assertArrayEquals(new float[] {4, -8, 12}, w.grad().toArray(), "second backward doubles the grad");
        w.zeroGrad();
        assertNull(w.grad());
        Ops.sum(w).backward();
        assertArrayEquals(new float[] {1, 1, 1}, w.grad().toArray());
    }

    @Test
    void sharedInputsSumTheirPaths() {
        Tensor w = param(2, 3);
        // L = Σ (w·w + 3w) → dL/dw = 2w + 3
        Ops.sum(Ops.add(Ops.mul(w, w), Ops.scale(w, 3f))).backward();
        assertArrayEquals(new float[] {7, 9}, w.grad().toArray());
    }

    @Test
    void intermediateGradientsAreFreedAndLeafGradientsAreOwned() {
        Tensor a = param(1, 2);
        Tensor b = param(3, 4);
        Tensor sum = Ops.add(a, b);
        Ops.sum(sum).backward();
        assertNull(sum.grad(), "intermediate gradient freed after use");
        assertNotNull(a.grad());
        assertNotSame(a.grad().data(), b.grad().data(), "leaf gradients must not alias each other");
        assertTrue(a.grad().isContiguous());
        assertEquals(0, a.grad().offset());
        a.grad().data()[0] = 100; // an optimizer may change it in place
        assertEquals(1f, b.grad().get(0));
    }

    @Test
    void gradientOfAViewReachesItsBase() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor t = Ops.transpose(x, 0, 1);
        assertFalse(t.isContiguous());
        assertSame(x.data(), t.data(), "transpose is a view");
        Tensor r = Ops.reshape(x, 3, 2);
        assertSame(x.data(), r.data(), "reshape of contiguous data is a view");
        Ops.sum(Ops.mul(t, Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2))).backward();
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, x.grad().toArray());
    }

    @Test
    void backwardNeedsAScalarThatRequiresGrad() {
        Tensor w = param(1, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> Ops.mul(w, w).backward());
        assertEquals("backward: needs a scalar (one element), got shape [2]", e.getMessage());
        var e2 = assertThrows(IllegalStateException.class, () -> Tensor.scalar(1f).backward());
        assertTrue(e2.getMessage().startsWith("backward: the tensor does not require a gradient"), e2.getMessage());
    }

    @Test
    void detachCutsTheTape() {
        Tensor w = param(1, 2);
        Tensor d = Ops.mul(w, w).detach();
        assertFalse(d.requiresGrad());
        assertNull(d.gradFn());
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor w = param(1f);
        Tensor x = w;
        for (int i = 0; i < 20_000; i++) x = Ops.scale(x, 1f);
        Ops.sum(x).backward();
        assertEquals(1f, w.grad().item());
    }

    @Test
    void setGradChecksTheShape() {
        Tensor w = param(1, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> w.setGrad(Tensor.zeros(3)));
        assertEquals("setGrad: gradient shape [3] does not match tensor shape [2]", e.getMessage());
        w.setGrad(Tensor.ones(2));
        assertArrayEquals(new float[] {1, 1}, w.grad().toArray());
    }
}
