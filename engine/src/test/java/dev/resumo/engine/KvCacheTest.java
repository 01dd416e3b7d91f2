package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.CpuBackend;
import dev.resumo.engine.opencl.OpenClAvailable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link KvCache} on the CPU backend and, when there is one, an OpenCL device: each step's keys and
 * values land at their position in place, growth past the capacity keeps every earlier position,
 * beam reorders that swap and duplicate rows move each row's whole history, and each step's
 * attention equals {@link Ops#decodeAttention} over a reference history kept on the host, with the
 * bias by distance read backwards. Written values are compared exactly (pure data movement);
 * attention outputs to 1e-5 relative (float32, summation order of the device kernel).
 */
class KvCacheTest {
    private static final int LAYERS = 2, ROWS = 3, HEADS = 2, DKV = 8, INNER = HEADS * DKV;

    /** The host's view of what the cache should hold: per layer, per row, per position, k|v. */
    private static final class Reference {
        final List<List<List<float[]>>> kv = new ArrayList<>();

        Reference() {
            for (int l = 0; l < LAYERS; l++) {
                List<List<float[]>> rows = new ArrayList<>();
                for (int r = 0; r < ROWS; r++) rows.add(new ArrayList<>());
                kv.add(rows);
            }
        }

        void append(int layer, float[] qkv) {
            for (int r = 0; r < ROWS; r++) {
                kv.get(layer).get(r).add(java.util.Arrays.copyOfRange(qkv, r * 3 * INNER + INNER, (r + 1) * 3 * INNER));
            }
        }

        void reorder(int[] sources) {
            for (List<List<float[]>> rows : kv) {
                List<List<float[]>> old = new ArrayList<>();
                for (List<float[]> r : rows) old.add(new ArrayList<>(r));
                for (int i = 0; i < ROWS; i++) rows.set(i, new ArrayList<>(old.get(sources[i]))); // a duplicated beam gets its own list
            }
        }

        /** Keys (half 0) or values (half 1) of a layer as a host tensor [rows, length, inner]. */
        Tensor tensor(int layer, int half) {
            int length = kv.get(layer).get(0).size();
            float[] t = new float[ROWS * length * INNER];
            for (int r = 0; r < ROWS; r++) {
                for (int p = 0; p < length; p++) System.arraycopy(kv.get(layer).get(r).get(p), half * INNER, t, (r * length + p) * INNER, INNER);
            }
            return Tensor.of(t, ROWS, length, INNER);
        }
    }

    /** The bias as the composed decode used it: [1, heads, 1, position+1], key p gets row position-p. */
    private static Tensor forwardBias(Tensor byDistance, int position) {
        float[] d = byDistance.toArray();
        float[] b = new float[HEADS * (position + 1)];
        for (int h = 0; h < HEADS; h++) {
            for (int p = 0; p <= position; p++) b[h * (position + 1) + p] = d[(position - p) * HEADS + h];
        }
        return Tensor.of(b, 1, HEADS, 1, position + 1);
    }

    /** Steps both caches through 6 positions with reorders after 2 and 4; checks contents and attention. */
    private static void exercise(String where, Backend be, int capacity) {
        Random rng = new Random(11);
        Tensor byDistance = Tensor.randn(rng, 1f, 8, HEADS);
        Tensor byDistanceOnDevice = byDistance.to(be);
        KvCache cache = new KvCache(be, LAYERS, ROWS, HEADS, DKV, capacity);
        Reference ref = new Reference();
        int[][] reorders = {null, null, {2, 0, 0}, null, {1, 2, 1}, null};
        double worst = 0;
        try (var _ = Autograd.noGrad()) {
            for (int position = 0; position < 6; position++) {
                if (reorders[position] != null) {
                    cache.reorder(reorders[position]);
                    ref.reorder(reorders[position]);
                }
                for (int layer = 0; layer < LAYERS; layer++) {
                    Tensor qkv = Tensor.randn(rng, 0.5f, ROWS, 1, 3 * INNER);
                    Tensor out = cache.attend(layer, position, qkv.to(be), byDistanceOnDevice);
                    ref.append(layer, qkv.toArray());
                    Tensor query = Ops.slice(qkv, 2, 0, INNER);
                    Tensor expected = Ops.decodeAttention(query, ref.tensor(layer, 0), ref.tensor(layer, 1), position + 1,
                            forwardBias(byDistance, position), null, HEADS);
                    worst = Math.max(worst, maxDiff(expected.toArray(), out.toArray()));
                }
            }
        }
        assertTrue(cache.capacity() >= 6, where + ": capacity grew to hold 6 positions, got " + cache.capacity());
        for (int layer = 0; layer < LAYERS; layer++) {
            assertArrayEquals(ref.tensor(layer, 0).toArray(), Ops.slice(cache.keys(layer), 1, 0, 6).toArray(),
                    where + " capacity " + capacity + ": keys of layer " + layer + " after growth and reorders");
            assertArrayEquals(ref.tensor(layer, 1).toArray(), Ops.slice(cache.values(layer), 1, 0, 6).toArray(),
                    where + " capacity " + capacity + ": values of layer " + layer + " after growth and reorders");
        }
        assertTrue(worst <= 1e-5, where + " capacity " + capacity + ": attention max error " + worst);
        System.out.printf("KvCache on %s, capacity %d -> %d: 6 positions x %d layers, 2 reorders, attention max error %.2g%n",
                where, capacity, cache.capacity(), LAYERS, worst);
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            assertTrue(!Float.isNaN(b[i]), "NaN at " + i);
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    @Test
    void cpuBackendWritesInPlaceGrowsAndReorders() {
        exercise("cpu backend", CpuBackend.INSTANCE, 1); // grows at 1, 2, 4
        exercise("cpu backend", CpuBackend.INSTANCE, 8); // never grows
    }

    @Test
    @Tag("opencl")
    void openClWritesInPlaceGrowsAndReorders() {
        Backend be = OpenClAvailable.backend();
        exercise("opencl", be, 1);
        exercise("opencl", be, 8);
    }

    @Test
    void badArgumentsNameWhatIsWrong() {
        Backend be = CpuBackend.INSTANCE;
        KvCache cache = new KvCache(be, LAYERS, ROWS, HEADS, DKV, 4);
        Tensor qkv = Tensor.zeros(ROWS, 1, 3 * INNER).to(be);
        assertMessage("backend is null", () -> new KvCache(null, 1, 1, 1, 1, 1));
        assertMessage("must all be ≥ 1", () -> new KvCache(be, 1, 0, 1, 1, 1));
        assertMessage("layer 2 outside", () -> cache.attend(2, 0, qkv, null));
        assertMessage("position -1", () -> cache.attend(0, -1, qkv, null));
        assertMessage("qkv must be", () -> cache.attend(0, 0, Tensor.zeros(ROWS, 1, INNER).to(be), null));
        assertMessage("the host", () -> cache.attend(0, 0, Tensor.zeros(ROWS, 1, 3 * INNER), null));
        assertMessage("biasByDistance must be", () -> cache.attend(0, 3, qkv, Tensor.zeros(3, HEADS).to(be)));
        assertMessage("takes 3 sources", () -> cache.reorder(new int[] {0, 1}));
        assertMessage("source 3 of row 1", () -> cache.reorder(new int[] {0, 3, 1}));
    }

    private static void assertMessage(String fragment, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '" + fragment + "'");
    }
}
