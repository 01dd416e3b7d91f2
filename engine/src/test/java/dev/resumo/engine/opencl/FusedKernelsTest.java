package dev.resumo.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.DeviceBuffer;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fused kernels against the unfused launches they replace, on the same OpenCL device: the
 * residual add + RMS norm (rows.cl add_rms_norm) against binary + rms_norm, with an output scale
 * against the scale kernel after it, the GEMM with the ReLU in its epilogue against the GEMM then
 * relu, for every GEMM kernel the backend picks between, and the decode attention that writes the
 * new keys and values against the copy then the attention. Each fused op must also be one launch
 * where the ops it replaces were two or more.
 */
@Tag("opencl")
class FusedKernelsTest {
    private final Random rng = new Random(7);

    private float[] rand(int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = scale * (float) rng.nextGaussian();
        return x;
    }

    @Test
    void addRmsNormMatchesTheAddThenTheNormInOneLaunch() {
        OpenClBackend cl = OpenClAvailable.backend();
        // d across the work-group size 64 and T5's 512/768; rows a decode step's 1 and 8 and an encoder's 37.
        int[][] shapes = {{1, 512}, {8, 512}, {37, 768}, {3, 63}, {2, 65}, {5, 1}};
        for (int[] s : shapes) {
            int rows = s[0], d = s[1], n = rows * d, xOff = 3, deltaOff = 1, wOff = 2;
            float[] x = rand(xOff + n, 40f), delta = rand(deltaOff + n, 3f), w = rand(wOff + d, 1f);
            float eps = 1e-6f;
            DeviceBuffer dx = cl.upload(x), dDelta = cl.upload(delta), dw = cl.upload(w);
            DeviceBuffer sum = cl.allocate(n), out = cl.allocate(n), refSum = cl.allocate(n), refOut = cl.allocate(n);
            DeviceBuffer inv = cl.allocate(rows);
            long before = cl.kernelLaunches();
            cl.addRmsNorm(dx, xOff, dDelta, deltaOff, dw, wOff, rows, d, eps, sum, out);
            assertEquals(1, cl.kernelLaunches() - before, "add + norm is one launch");
            cl.binary(Backend.ADD, new int[] {n}, dx, xOff, new int[] {1}, dDelta, deltaOff, new int[] {1}, refSum);
            cl.rmsNorm(refSum, 0, dw, wOff, rows, d, eps, refOut, inv);
            String shape = rows + "x" + d;
            // The sum is one float32 add of the same two values on either side: exact.
            assertArrayEquals(cl.download(refSum, 0, n), cl.download(sum, 0, n), 0f, shape + ": sum");
            // The norm sums x² in rms_norm's order, but a device built with -cl-mad-enable may
            // contract ss += s·s into an fma in one kernel and not in the other: at most one rounding
            // per term of a lane's sum (d/64 terms) and per step of the 64-lane tree, halved by the
            // square root, then the two products: relative (d/64 + 6 + 4)·u ≤ 22u for d = 768,
            // bounded here by 2e-6 (16.8u at u = 2^-24 is 1e-6).
            float[] expected = cl.download(refOut, 0, n), actual = cl.download(out, 0, n);
            for (int i = 0; i < n; i++) {
                float tol = 2e-6f * Math.abs(expected[i]) + Float.MIN_NORMAL;
                assertTrue(Math.abs(expected[i] - actual[i]) <= tol, shape + ": normed[" + i + "] " + actual[i] + " vs " + expected[i]);
            }
            for (DeviceBuffer b : new DeviceBuffer[] {dx, dDelta, dw, sum, out, refSum, refOut, inv}) b.close();
        }
    }

    @Test
    void addRmsNormWithAnOutputScaleIsTheScaleAfterTheNormInOneLaunch() {
        OpenClBackend cl = OpenClAvailable.backend();
        float outScale = (float) Math.pow(512, -0.5); // PTT5-small's tied lm_head input scale
        for (int[] s : new int[][] {{1, 512}, {8, 512}, {3, 65}}) {
            int rows = s[0], d = s[1], n = rows * d;
            float[] x = rand(n, 40f), delta = rand(n, 3f), w = rand(d, 1f);
            DeviceBuffer dx = cl.upload(x), dDelta = cl.upload(delta), dw = cl.upload(w);
            DeviceBuffer sum = cl.allocate(n), out = cl.allocate(n), refSum = cl.allocate(n), refOut = cl.allocate(n);
            long before = cl.kernelLaunches();
            cl.addRmsNorm(dx, 0, dDelta, 0, dw, 0, rows, d, 1e-6f, outScale, sum, out);
            assertEquals(1, cl.kernelLaunches() - before, "add + norm + output scale is one launch");
            cl.addRmsNorm(dx, 0, dDelta, 0, dw, 0, rows, d, 1e-6f, refSum, refOut);
            cl.scale(refOut, 0, outScale, refOut, n);
            // The same kernel computes the same normed float, then the one product the scale
            // kernel makes: the same bits.
            assertArrayEquals(cl.download(refSum, 0, n), cl.download(sum, 0, n), 0f, rows + "x" + d + ": sum");
            assertArrayEquals(cl.download(refOut, 0, n), cl.download(out, 0, n), 0f, rows + "x" + d + ": scaled norm");
            for (DeviceBuffer b : new DeviceBuffer[] {dx, dDelta, dw, sum, out, refSum, refOut}) b.close();
        }
    }

    /**
     * decodeAttention given the newest position's keys and values (KvCache's step) against the
     * copy into the cache followed by the attention: one launch instead of two, the same cache
     * contents and the same output bits (the kernel reads that position from the projection, the
     * very floats the copy stores), for T5's d_kv 64 and lengths around the work-group size.
     */
    @Test
    void decodeAttentionWritesTheNewPositionInItsOwnLaunch() {
        OpenClBackend cl = OpenClAvailable.backend();
        int heads = 3, dKv = 64, inner = heads * dKv, width = 2 * inner;
        for (int rows : new int[] {1, 4}) {
            for (int length : new int[] {1, 63, 64, 65, 130}) {
                int capacity = length + 2, rowStride = capacity * width, qkvStride = 3 * inner, qOff = 1;
                float[] cache = rand(rows * rowStride, 1f), qkv = rand(qOff + rows * qkvStride, 0.5f);
                float[] bias = rand(heads * capacity, 1f);
                DeviceBuffer fusedCache = cl.upload(cache), refCache = cl.upload(cache), dq = cl.upload(qkv), db = cl.upload(bias);
                DeviceBuffer fused = cl.allocate(rows * inner), ref = cl.allocate(rows * inner);
                long before = cl.kernelLaunches();
                cl.decodeAttention(rows, heads, dKv, length, dq, qOff + inner, qOff + 2 * inner, qkvStride, dq, qOff, qkvStride,
                        fusedCache, 0, fusedCache, inner, rowStride, width, db, 0, capacity, 1, null, 0, 0, fused);
                assertEquals(1, cl.kernelLaunches() - before, "the cache write and the attention are one launch");
                cl.copy(new int[] {rows, width}, dq, qOff + inner, new int[] {qkvStride, 1}, refCache, (length - 1) * width,
                        new int[] {rowStride, 1});
                cl.decodeAttention(rows, heads, dKv, length, dq, qOff, qkvStride, refCache, 0, refCache, inner, rowStride, width,
                        db, 0, capacity, 1, null, 0, 0, ref);
                String what = rows + " rows, length " + length;
                assertArrayEquals(cl.download(refCache, 0, cache.length), cl.download(fusedCache, 0, cache.length), 0f,
                        what + ": cache contents");
                assertArrayEquals(cl.download(ref, 0, rows * inner), cl.download(fused, 0, rows * inner), 0f, what + ": attention");
                for (DeviceBuffer b : new DeviceBuffer[] {fusedCache, refCache, dq, db, fused, ref}) b.close();
            }
        }
    }

    @Test
    void gemmReluMatchesTheGemmThenReluInOneLaunchOnEveryKernel() {
        OpenClBackend tiled = OpenClAvailable.backend();
        OpenClRuntime rt = tiled.runtime();
        OpenClBackend direct = new OpenClBackend(rt, new GemmParams(32, 64, 0, 4, 8));
        OpenClBackend vector = new OpenClBackend(rt, new GemmParams(32, 64, -1, 4, 8));
        // {m, n, k}: m ≤ 8 with B transposed is the skinny kernel; the others the tiled/direct/vector ones.
        int[][] shapes = {{1, 2048, 512}, {8, 300, 129}, {37, 65, 70}, {64, 33, 17}, {3, 9, 1}};
        for (OpenClBackend be : new OpenClBackend[] {tiled, direct, vector}) {
            for (int[] s : shapes) {
                for (boolean tb : new boolean[] {true, false}) {
                    int m = s[0], n = s[1], k = s[2], aOff = 2, bOff = 5;
                    float[] a = rand(aOff + m * k, 1f), b = rand(bOff + k * n, 1f);
                    DeviceBuffer da = be.upload(a), db = be.upload(b);
                    DeviceBuffer fused = be.upload(rand(m * n + 3, 1f)), ref = be.allocate(m * n + 3);
                    long before = be.kernelLaunches();
                    be.gemmRelu(false, tb, m, n, k, da, aOff, db, bOff, fused);
                    assertEquals(1, be.kernelLaunches() - before, "gemm + relu is one launch");
                    be.gemm(false, tb, m, n, k, da, aOff, db, bOff, ref, 0, false);
                    be.relu(ref, 0, ref, m * n);
                    // The same kernel makes the same float product either way, and the ReLU is
                    // exact: the fused result must have the unfused bits.
                    String what = be.gemmParams() + " " + m + "x" + n + "x" + k + " tb=" + tb;
                    assertArrayEquals(be.download(ref, 0, m * n), be.download(fused, 0, m * n), 0f, what);
                    da.close();
                    db.close();
                    fused.close();
                    ref.close();
                }
            }
        }
    }

    @Test
    void splitKGemmAppliesTheReluToTheSumOfItsChunks() {
        OpenClBackend cl = OpenClAvailable.backend();
        int m = 40, n = 24, k = 300;
        float[] a = rand(m * k, 1f), b = rand(k * n, 1f);
        ClBuffer da = cl.upload(a), db = cl.upload(b), fused = cl.allocate(m * n), ref = cl.allocate(m * n);
        ClGemm.runSplitK(cl.runtime(), cl.gemmParams(), false, false, m, n, k, 3, da, 0, db, 0, fused, 0, ClGemm.EPILOGUE_RELU);
        ClGemm.runSplitK(cl.runtime(), cl.gemmParams(), false, false, m, n, k, 3, da, 0, db, 0, ref, 0, false);
        cl.relu(ref, 0, ref, m * n);
        float[] expected = cl.download(ref, 0, m * n);
        assertArrayEquals(expected, cl.download(fused, 0, m * n), 0f, "split-K sum through the ReLU: same bits");
        boolean someZeroed = false;
        for (float v : expected) someZeroed |= v == 0f;
        assertTrue(someZeroed, "random products have negative entries for the ReLU to zero");
        for (ClBuffer buf : new ClBuffer[] {da, db, fused, ref}) buf.close();
    }
}
