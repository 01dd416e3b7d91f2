package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.rng.Xoshiro256Random;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Gradient checkpointing must give the plain pass's numbers. The forward is the same bits (same
 * kernels, same values, replayed dropout), and so are the gradients of parameters read inside one
 * block. A tensor read by several ops (an input shared by the blocks, one read inside and outside a
 * checkpoint) sums its gradient's contributions in another order, or once through a product that
 * adds into the gradient where the plain pass adds after it: those agree within 1e-6 of the
 * gradient's largest element (float sums of a few terms reordered: a few ulp), measured ≤ 3e-7.
 */
class CheckpointTest {
    private static final int ROWS = 96, D = 32, FF = 64, BLOCKS = 4;
    private static final float EPS = 1e-6f;

    /** A stack of pre-norm residual blocks over a shared additive bias, with dropout. */
    private static final class Model {
        final Map<String, Tensor> p = new LinkedHashMap<>();
        final Tensor x;
        final Tensor constant;  // an input needing no gradient (as an attention mask)

        Model() {
            Random r = new Xoshiro256Random(11);
            for (int b = 0; b < BLOCKS; b++) {
                p.put("wi" + b, Tensor.randn(r, 0.2f, D, FF));
                p.put("wo" + b, Tensor.randn(r, 0.2f, FF, D));
                p.put("norm" + b, Tensor.randn(r, 0.1f, D).add(Tensor.ones(D)).contiguous());
            }
            p.put("table", Tensor.randn(r, 0.3f, 1, D));
            p.put("wb", Tensor.randn(r, 0.2f, D, FF));
            for (Tensor t : p.values()) t.requiresGrad(true);
            x = Tensor.randn(r, 1f, ROWS, D).requiresGrad(true);
            constant = Tensor.randn(r, 0.5f, ROWS, D);
        }

        /** Block b: stream + W_o·dropout(relu(norm(stream)·W_i + shared·W_b)) + constant; returns {stream', norm(stream')}. */
        Tensor[] block(int b, Tensor[] in, Random rng) {
            Tensor h = Ops.relu(Ops.add(Ops.matmul(in[1], p.get("wi" + b)), Ops.matmul(in[2], p.get("wb"))));
            h = Ops.dropout(h, 0.25f, rng);
            Tensor sum = Ops.add(in[0], Ops.add(Ops.matmul(h, p.get("wo" + b)), in[3]));
            return new Tensor[] {sum, Ops.rmsNorm(sum, p.get("norm" + b), EPS)};
        }

        /** The loss; {@code checkpointed}: each block through Ops.checkpoint, its dropout seed drawn once. */
        Tensor loss(boolean checkpointed, Random rng) {
            // An input every block reads that needs a gradient (as T5's position bias).
            Tensor shared = Ops.add(Ops.scale(x, 0.5f), p.get("table"));
            Tensor[] stream = {x, Ops.rmsNorm(x, p.get("norm0"), EPS)};
            for (int b = 0; b < BLOCKS; b++) {
                int block = b;
                long seed = rng.nextLong();
                if (checkpointed) {
                    stream = Ops.checkpoint(in -> block(block, in, new Random(seed)), stream[0], stream[1], shared, constant);
                } else {
                    stream = block(block, new Tensor[] {stream[0], stream[1], shared, constant}, new Random(seed));
                }
            }
            return Ops.add(Ops.sum(Ops.mul(stream[1], stream[1])), Ops.sum(stream[0]));
        }

        void zeroGrads() {
            for (Tensor t : p.values()) t.zeroGrad();
            x.zeroGrad();
        }

        List<float[]> grads() {
            List<float[]> out = new ArrayList<>();
            for (Tensor t : p.values()) out.add(t.grad().toArray());
            out.add(x.grad().toArray());
            return out;
        }
    }

    /** The blocks' own parameters exactly; the shared table and weight and the input x within {@link #closeEnough}. */
    private static void assertSameGrads(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        int perBlock = 3 * BLOCKS;
        for (int i = 0; i < perBlock; i++) assertArrayEquals(expected.get(i), actual.get(i), "gradient " + i);
        for (int i = perBlock; i < expected.size(); i++) closeEnough(expected.get(i), actual.get(i), "gradient " + i);
    }

    private static void closeEnough(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double largest = 0, worst = 0;
        for (float v : expected) largest = Math.max(largest, Math.abs(v));
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(largest > 0 && worst <= 1e-6 * largest, what + ": off by " + worst + " of a largest element " + largest);
    }

    @Test
    void checkpointedBlocksGiveThePlainPassBits() {
        Model m = new Model();
        Tensor plain = m.loss(false, new Random(3));
        plain.backward();
        List<float[]> expected = m.grads();
        m.zeroGrads();
        Tensor checkpointed = m.loss(true, new Random(3));
        assertEquals("checkpointOutput", gradFnBelowLoss(checkpointed), "the loss reads checkpointed outputs");
        checkpointed.backward();
        assertEquals(plain.item(), checkpointed.item());
        assertSameGrads(expected, m.grads());
    }

    /** The op that produced the stream the loss reads: a checkpoint output when checkpointed. */
    private static String gradFnBelowLoss(Tensor loss) {
        Tensor sumOfStream = loss.node.inputs[1];
        return sumOfStream.node.inputs[0].gradFn();
    }

    @Test
    void insideAPoisoningStepScopeTheBitsHoldAndTheBlocksIntermediatesAreGivenBack() {
        Model m = new Model();
        StepBuffers plainPool = new StepBuffers(true);
        long plainBytes;
        float plainLoss;
        try (var _ = plainPool.open()) {
            Tensor loss = m.loss(false, new Random(4));
            plainBytes = plainPool.inUseBytes();
            plainLoss = loss.item();
            loss.backward();
        }
        List<float[]> expected = m.grads();
        m.zeroGrads();
        StepBuffers pool = new StepBuffers(true);
        long checkpointedBytes;
        try (var _ = pool.open()) {
            Tensor loss = m.loss(true, new Random(4));
            checkpointedBytes = pool.inUseBytes();
            assertEquals(plainLoss, loss.item());
            loss.backward();
        }
        assertSameGrads(expected, m.grads());
        // Plain: each block keeps its FF activations, mask and products (ROWS × FF floats several
        // times); checkpointed: only the blocks' outputs stay taken.
        assertTrue(checkpointedBytes * 2 < plainBytes, "in use after the forward: checkpointed " + checkpointedBytes
                + " bytes, plain " + plainBytes);
    }

    @Test
    void anInputReturnedAsItIsAndAnOutputNobodyUsesWork() {
        Random r = new Xoshiro256Random(5);
        Tensor w = Tensor.randn(r, 0.3f, D, D).requiresGrad(true);
        Tensor x = Tensor.randn(r, 1f, ROWS, D).requiresGrad(true);
        Supplier<Tensor> plain = () -> {
            Tensor y = Ops.relu(Ops.matmul(x, w));
            return Ops.add(Ops.sum(Ops.mul(y, x)), Ops.sum(x));
        };
        Tensor expectedLoss = plain.get();
        expectedLoss.backward();
        float[] gw = w.grad().toArray(), gx = x.grad().toArray();
        w.zeroGrad();
        x.zeroGrad();
        Tensor[] out = Ops.checkpoint(in -> new Tensor[] {Ops.relu(Ops.matmul(in[0], w)), in[0], Ops.scale(in[0], 2f)}, x);
        assertEquals("checkpointOutput", out[1].gradFn(), "the returned input is a new view on the tape");
        assertNull(x.gradFn(), "the input itself is untouched");
        Tensor loss = Ops.add(Ops.sum(Ops.mul(out[0], out[1])), Ops.sum(out[1])); // out[2] unused
        assertEquals(expectedLoss.item(), loss.item());
        loss.backward();
        assertArrayEquals(gw, w.grad().toArray(), "w is read once, inside");
        closeEnough(gx, x.grad().toArray(), "x, read inside and outside");
    }

    @Test
    void withoutRecordingItIsThePlainFunction() {
        Tensor w = Tensor.randn(new Xoshiro256Random(6), 0.3f, D, D).requiresGrad(true);
        Tensor x = Tensor.ones(2, D);
        try (var _ = Autograd.noGrad()) {
            Tensor[] out = Ops.checkpoint(in -> new Tensor[] {Ops.matmul(in[0], w)}, x);
            assertNull(out[0].gradFn());
            assertArrayEquals(Ops.matmul(x, w).toArray(), out[0].toArray());
        }
    }

    @Test
    void aRecomputationThatDiffersInShapeIsRefused() {
        Tensor w = Tensor.randn(new Xoshiro256Random(7), 0.3f, D, D).requiresGrad(true);
        int[] calls = {0};
        Tensor[] out = Ops.checkpoint(in -> calls[0]++ == 0 ? new Tensor[] {Ops.matmul(in[0], w)}
                : new Tensor[] {Ops.matmul(in[0], w), in[0]}, Tensor.ones(2, D));
        Tensor loss = Ops.sum(out[0]);
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("2 outputs when recomputed, 1 the first time"), e.getMessage());
        assertNotNull(out[0].gradFn());
    }
}
