package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.rng.Xoshiro256Random;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Recycled step buffers must not change a single bit of training: every op that takes an array
 * from {@link StepBuffers} either writes all of it or asks for zeros. The pool here poisons every
 * recycled array with NaN, so an op reading an element it did not write makes the loss or a
 * gradient NaN (or at least different) and the comparison with plain allocation fails.
 */
class StepBuffersTest {
    private static final int VOCAB = 96, D = 64, HEADS = 4, FF = 128, SRC = 48, BATCH = 3;

    /** A small encoder-style model touching every op that uses the pool (forward and backward). */
    private static final class Model {
        final Map<String, Tensor> p = new LinkedHashMap<>();

        Model() {
            Random r = new Xoshiro256Random(7);
            p.put("emb", Tensor.randn(r, 0.5f, VOCAB, D));
            for (String n : List.of("q", "k", "v", "o")) p.put(n, Tensor.randn(r, 0.1f, D, D));
            p.put("wi", Tensor.randn(r, 0.1f, FF, D));
            p.put("wo", Tensor.randn(r, 0.1f, D, FF));
            p.put("norm", Tensor.randn(r, 0.1f, D).add(Tensor.ones(D)).contiguous());
            p.put("bias", Tensor.randn(r, 0.3f, 1, HEADS, SRC, SRC));
            for (Tensor t : p.values()) t.requiresGrad(true);
        }

        /** The loss of a batch of {@code src} tokens a row (at most SRC: shorter ones slice the bias). */
        Tensor loss(int[] ids, int[] labels, int src, Random dropout) {
            Tensor bias = src == SRC ? p.get("bias") : Ops.slice(Ops.slice(p.get("bias"), 2, 0, src), 3, 0, src);
            Tensor x = Ops.embedding(p.get("emb"), ids, BATCH, src);                        // [B, S, D]
            Tensor h = Ops.rmsNorm(x, p.get("norm"), 1e-6f);
            Tensor q = Ops.matmul(h, p.get("q"), false, true);
            Tensor k = Ops.matmul(h, p.get("k"), false, true);
            Tensor v = Ops.matmul(h, p.get("v"), false, true);
            Tensor a = Ops.attention(q, k, v, bias, HEADS, 0.1f, dropout);
            x = Ops.add(x, Ops.matmul(a, p.get("o"), false, true));
            // Batched products with a transposed operand (the per-batch GEMM path, gradients summed into zeros).
            Tensor scores = Ops.softmax(Ops.scale(Ops.matmul(x, x, false, true), 0.05f), null);  // [B, S, S]
            x = Ops.add(x, Ops.matmul(scores, x));
            Tensor f = Ops.relu(Ops.matmul(Ops.rmsNorm(x, p.get("norm"), 1e-6f), p.get("wi"), false, true));
            f = Ops.dropout(Ops.gelu(f), 0.1f, dropout);
            x = Ops.add(x, Ops.matmul(f, p.get("wo"), false, true));
            Tensor both = Ops.concat(2, x, Ops.mul(x, x));                                  // [B, S, 2D]
            Tensor logits = Ops.matmul(Ops.slice(both, 2, 0, D), p.get("emb"), false, true);  // tied head
            return Ops.crossEntropy(Ops.reshape(logits, BATCH * src, VOCAB), labels, -100);
        }
    }

    private static final class Run {
        final List<Float> losses = new ArrayList<>();
        final Map<String, float[]> grads = new LinkedHashMap<>();
        /** Per step: the pool's requests and reuses during that step. */
        final List<long[]> poolCounts = new ArrayList<>();
    }

    /** Three steps of SRC tokens; each step's gradients are kept, then parameters move (a plain SGD step). */
    private static Run train(StepBuffers buffers) {
        return train(buffers, SRC, SRC, SRC);
    }

    /** One step per length (tokens a row, at most SRC). */
    private static Run train(StepBuffers buffers, int... lengths) {
        Model m = new Model();
        Random data = new Xoshiro256Random(3), dropout = new Xoshiro256Random(11);
        Run run = new Run();
        for (int step = 0; step < lengths.length; step++) {
            int src = lengths[step];
            int[] ids = new int[BATCH * src], labels = new int[BATCH * src];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = data.nextInt(VOCAB);
                labels[i] = i % 7 == 0 ? -100 : data.nextInt(VOCAB);
            }
            for (Tensor t : m.p.values()) t.zeroGrad();
            if (buffers == null) {
                Tensor loss = m.loss(ids, labels, src, dropout);
                run.losses.add(loss.item());
                loss.backward();
            } else {
                long requests = buffers.requests(), reused = buffers.reused();
                try (var scope = buffers.open()) {
                    Tensor loss = m.loss(ids, labels, src, dropout);
                    run.losses.add(loss.item());
                    loss.backward();
                }
                run.poolCounts.add(new long[] {buffers.requests() - requests, buffers.reused() - reused});
            }
            for (Map.Entry<String, Tensor> e : m.p.entrySet()) {
                float[] g = e.getValue().grad().toArray();
                run.grads.put(step + ":" + e.getKey(), g);
                float[] w = e.getValue().data();
                for (int i = 0; i < w.length; i++) w[i] -= 0.05f * g[i];
                e.getValue().markModified();
            }
        }
        return run;
    }

    @Test
    void recycledPoisonedBuffersGiveTheSameBitsAsFreshArrays() {
        Run plain = train(null);
        StepBuffers pool = new StepBuffers(true);
        Run pooled = train(pool);
        assertEquals(plain.losses, pooled.losses, "losses, step by step");
        for (String name : plain.grads.keySet()) {
            assertArrayEquals(plain.grads.get(name), pooled.grads.get(name), "gradient " + name);
        }
        for (float l : pooled.losses) assertTrue(Float.isFinite(l));
        // The pool was really used: steps 2 and 3 got recycled arrays.
        assertTrue(pool.reused() > pool.requests() / 3, "reused " + pool.reused() + " of " + pool.requests());
        System.out.println("StepBuffers: " + pool.requests() + " arrays requested over 3 steps, " + pool.reused()
                + " recycled; losses " + pooled.losses);
    }

    /**
     * Varied lengths: a step of 37 tokens after one of 48 asks for shorter arrays than the longer
     * step left in the pool, and takes them (the shortest free array long enough). They are
     * poisoned with NaN past what the shorter step writes: the losses and gradients must be the
     * bits of fresh arrays. Pooled by exact length the shorter step was served only the arrays of
     * the weights' shapes. (37: the shortest at which every activation is pooled, over MIN_FLOATS.)
     */
    @Test
    void aShorterStepReusesTheLongerStepsArraysBitForBit() {
        int[] lengths = {48, 37, 48};
        Run plain = train(null, lengths);
        StepBuffers pool = new StepBuffers(true);
        Run pooled = train(pool, lengths);
        assertEquals(plain.losses, pooled.losses, "losses, step by step");
        for (float l : pooled.losses) assertTrue(Float.isFinite(l), "finite loss " + pooled.losses);
        for (String name : plain.grads.keySet()) {
            assertArrayEquals(plain.grads.get(name), pooled.grads.get(name), "gradient " + name);
            for (float g : pooled.grads.get(name)) assertTrue(Float.isFinite(g), "finite gradient " + name);
        }
        long[] shorter = pooled.poolCounts.get(1);
        System.out.println("StepBuffers, 48 → 37 → 48 tokens: requests/reused per step "
                + pooled.poolCounts.stream().map(c -> c[0] + "/" + c[1]).toList());
        assertTrue(shorter[0] > 0);
        assertEquals(shorter[0], shorter[1], "every array of the shorter step came from the longer one's");
    }

    @Test
    void sizeClassesWasteAtMostAnEighthAndAreStable() {
        int previous = 0;
        for (int n = 1; n < 1 << 20; n += 1 + n / 97) {
            int c = StepBuffers.classLength(n);
            assertTrue(c >= n, n + " → " + c);
            assertTrue(c - n <= n / 8, n + " → " + c + " wastes more than an eighth");
            assertEquals(c, StepBuffers.classLength(c), "a class length is its own class: " + c);
            assertTrue(c >= previous, "monotone at " + n);
            previous = c;
        }
        for (int e = 4; e < 31; e++) assertEquals(1 << e, StepBuffers.classLength(1 << e), "powers of two are exact");
        assertEquals(Integer.MAX_VALUE - 1, StepBuffers.classLength(Integer.MAX_VALUE - 1), "no rounding past the largest array");
    }

    @Test
    void aShorterRequestOfTheSameClassGetsTheSameArrayAndItsZerosOnlyWhereAsked() {
        StepBuffers pool = new StepBuffers(true);
        float[] first;
        try (var scope = pool.open()) {
            first = StepBuffers.uninitialized(10_000);
            assertEquals(StepBuffers.classLength(10_000), first.length);
        }
        try (var scope = pool.open()) {
            float[] again = StepBuffers.zeroed(9_500); // 9 500 and 10 000 share a class
            assertSame(first, again);
            for (int i = 0; i < 9_500; i++) assertEquals(0f, again[i], "element " + i);
            assertTrue(Float.isNaN(again[9_500]), "past the request: still the poison, not zeroed for nothing");
        }
        assertEquals(2, pool.requests());
        assertEquals(1, pool.reused());
    }

    /** A leaf adopting a pooled gradient longer than itself gets an exact copy: optimizers go by the array's length. */
    @Test
    void aLeafGradientFromALongerPooledArrayIsAnExactCopy() {
        StepBuffers pool = new StepBuffers(true);
        Tensor leaf = Tensor.randn(new Xoshiro256Random(1), 1f, 65, 128); // 8 320 floats: class 9 216
        leaf.requiresGrad(true);
        assertTrue(StepBuffers.classLength(leaf.size()) > leaf.size());
        try (var scope = pool.open()) {
            Ops.sum(Ops.relu(leaf)).backward();
        }
        float[] grad = leaf.grad().data();
        assertEquals(leaf.size(), grad.length, "exact length");
        float[] x = leaf.data();
        for (int i = 0; i < grad.length; i++) assertEquals(x[i] > 0 ? 1f : 0f, grad[i], "relu gradient at " + i);
        try (var scope = pool.open()) { // the oversized dx went back to the pool, the copy did not
            for (int i = 0; i < 3; i++) assertNotSame(grad, StepBuffers.uninitialized(leaf.size()));
        }
    }

    @Test
    void arraysComeBackOnlyAfterTheScopeClosesAndLeafGradientsEscape() {
        StepBuffers pool = new StepBuffers();
        Tensor leaf = Tensor.randn(new Xoshiro256Random(1), 1f, 64, 128); // 8192 floats: pooled
        leaf.requiresGrad(true);
        java.util.Set<float[]> handedOut = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        try (var scope = pool.open()) {
            float[] first = StepBuffers.uninitialized(8192);
            float[] second = StepBuffers.uninitialized(8192);
            assertNotSame(first, second, "two live arrays in one scope");
            handedOut.add(first);
            handedOut.add(second);
            // relu's output and its backward's dx (8192 floats each); the leaf adopts dx as its gradient.
            Ops.sum(Ops.relu(leaf)).backward();
        }
        float[] leafGrad = leaf.grad().data();
        assertEquals(0, pool.reused(), "nothing recycled inside the first scope");
        try (var scope = pool.open()) {
            List<float[]> next = new ArrayList<>();
            for (int i = 0; i < 4; i++) next.add(StepBuffers.uninitialized(8192));
            // first, second and relu's output come back; dx escaped, so the fourth is new.
            assertEquals(3, pool.reused());
            for (float[] a : next) assertNotSame(leafGrad, a, "the leaf's gradient is never handed out again");
            assertTrue(handedOut.contains(next.get(0)) || handedOut.contains(next.get(1)) || handedOut.contains(next.get(2)));
        }
    }

    /** The reverse pass gives back each gradient and output once consumed; later ops of the same pass take them. */
    @Test
    void theReversePassReusesArraysItIsDoneWith() {
        reversePassReuse(128); // 8 192 floats per activation: a class length
    }

    /** The same with arrays longer than the tensors: 130 × 64 floats is in the class of 9 216. */
    @Test
    void theReversePassGivesBackArraysLongerThanTheirTensors() {
        assertTrue(StepBuffers.classLength(130 * 64) > 130 * 64);
        reversePassReuse(130);
    }

    private static void reversePassReuse(int rows) {
        float[][] grads = new float[2][];
        for (int run = 0; run < 2; run++) {
            StepBuffers pool = run == 0 ? null : new StepBuffers(true);
            Random r = new Xoshiro256Random(21);
            Tensor w = Tensor.randn(r, 0.2f, 64, 64);
            w.requiresGrad(true);
            Tensor x = Tensor.randn(r, 1f, rows, 64); // pooled (over MIN_FLOATS)
            try (var scope = pool == null ? null : pool.open()) {
                Tensor h = x;
                for (int layer = 0; layer < 6; layer++) h = Ops.relu(Ops.add(Ops.matmul(h, w, false, true), h));
                Ops.sum(Ops.mul(h, h)).backward();
                if (pool != null) {
                    assertTrue(pool.releasedEarly() >= 12, "outputs and gradients given back: " + pool.releasedEarly());
                    assertTrue(pool.reused() > 0, "taken again within the same pass (nothing came from an earlier step)");
                }
            }
            grads[run] = w.grad().toArray();
        }
        assertArrayEquals(grads[0], grads[1], "the same gradient with arrays given back and poisoned mid-pass");
    }

    @Test
    void zeroedArraysAreZerosEvenWhenRecycled() {
        StepBuffers pool = new StepBuffers(true);
        try (var scope = pool.open()) {
            StepBuffers.uninitialized(5000)[17] = 3f;
        }
        try (var scope = pool.open()) {
            float[] z = StepBuffers.zeroed(5000);
            assertEquals(1, pool.reused());
            for (int i = 0; i < 5000; i++) assertEquals(0f, z[i], "element " + i);
        }
    }

    @Test
    void otherThreadsAndSmallArraysAllocateAsBefore() throws Exception {
        StepBuffers pool = new StepBuffers();
        try (var scope = pool.open()) {
            AtomicReference<Long> before = new AtomicReference<>(pool.requests());
            Thread t = new Thread(() -> StepBuffers.uninitialized(1 << 16));
            t.start();
            t.join();
            assertEquals(before.get(), pool.requests(), "another thread's request does not touch this scope");
            StepBuffers.uninitialized(StepBuffers.MIN_FLOATS - 1);
            assertEquals(before.get(), pool.requests(), "small arrays are not pooled");
        }
    }

    @Test
    void onlyTheLastStepsShapesAreKept() {
        StepBuffers pool = new StepBuffers();
        try (var scope = pool.open()) {
            StepBuffers.uninitialized(10_000);
        }
        assertEquals(4L * StepBuffers.classLength(10_000), pool.pooledBytes());
        try (var scope = pool.open()) {
            StepBuffers.uninitialized(20_000); // another size class: the 10 000 array is not asked for
        }
        assertEquals(4L * StepBuffers.classLength(20_000), pool.pooledBytes(), "the array nobody asked for was dropped");
        try (var scope = pool.open()) {
            StepBuffers.uninitialized(10_000); // a shorter request takes the longer array: nothing new
        }
        assertEquals(4L * StepBuffers.classLength(20_000), pool.pooledBytes(), "the longer array serves the shorter step");
        assertEquals(1, pool.reused());
        pool.clear();
        assertEquals(0, pool.pooledBytes());
    }

    @Test
    void aCollectionIsAskedForEachTimeDroppedArraysAddUpToTheThreshold() {
        int[] collections = {0};
        StepBuffers pool = new StepBuffers().collectingAfter(100_000).collector(() -> collections[0]++);
        for (int step = 0; step < 3; step++) {
            try (var scope = pool.open()) {
                float[] a = StepBuffers.uninitialized(10_000);
                StepBuffers.releaseNow(a); // given back early and taken again: not dropped
                StepBuffers.uninitialized(10_000);
                StepBuffers.uninitialized(5_000);
            }
        }
        assertEquals(0, pool.droppedBytes(), "the same shapes every step drop nothing");
        assertEquals(0, collections[0]);
        long small = 4L * StepBuffers.classLength(10_000), smaller = 4L * StepBuffers.classLength(5_000);
        long large = 4L * StepBuffers.classLength(20_000);
        try (var scope = pool.open()) {
            StepBuffers.uninitialized(20_000); // longer than any free array: the 10 000 and 5 000 arrays are dropped
        }
        assertEquals(small + smaller, pool.droppedBytes());
        assertEquals(0, collections[0], "~60 000 bytes dropped, under the 100 000 threshold");
        try (var scope = pool.open()) {
            StepBuffers.uninitialized(40_000); // longer again: the 20 000 array is dropped
        }
        assertEquals(small + smaller + large, pool.droppedBytes());
        assertEquals(1, collections[0], "~140 000 bytes dropped since the start");
        assertEquals(1, pool.collections());
        try (var scope = pool.open()) {
            StepBuffers.uninitialized(10_000); // served by the 40 000 array: nothing dropped
        }
        assertEquals(small + smaller + large, pool.droppedBytes());
        assertEquals(1, collections[0], "nothing dropped since the last collection");
        assertThrows(IllegalArgumentException.class, () -> pool.collectingAfter(-1));
    }

    @Test
    void withoutAThresholdNothingIsCollected() {
        int[] collections = {0};
        StepBuffers pool = new StepBuffers().collector(() -> collections[0]++);
        for (int n = 10_000; n < 20_000; n += 1_000) {
            try (var scope = pool.open()) {
                StepBuffers.uninitialized(n);
            }
        }
        assertTrue(pool.droppedBytes() > 0);
        assertEquals(0, collections[0]);
    }

    @Test
    void oneScopeAtATime() {
        StepBuffers a = new StepBuffers(), b = new StepBuffers();
        try (var scope = a.open()) {
            assertThrows(IllegalStateException.class, a::open);
            assertThrows(IllegalStateException.class, b::open);
        }
        try (var scope = b.open()) {
            assertEquals(0, b.requests()); // b opens once a's scope is closed
        }
    }
}
