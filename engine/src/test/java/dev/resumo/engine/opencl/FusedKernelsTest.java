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
 * relu, for every GEMM kernel the backend picks between, the GEMM with the RMS norm in its
 * prologue against rms_norm (+ scale) then the GEMM, the GEMM with the residual add in its epilogue
 * against the GEMM then the add, and the decode attention that writes the new keys and values
 * against the copy then the attention. Each fused op must also be one launch where the ops it
 * replaces were two or more.
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
            // Both kernels norm with rms.cl's arithmetic (Σx² as explicit fmas in the same order,
            // which -cl-mad-enable cannot contract differently in the two): the same bits.
            assertArrayEquals(cl.download(refOut, 0, n), cl.download(out, 0, n), 0f, shape + ": normed");
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

    /** The tuned (tiled) GEMM, then the direct and the vector kernels, on one runtime. */
    private static OpenClBackend[] everyGemmKernel() {
        OpenClBackend tiled = OpenClAvailable.backend();
        OpenClRuntime rt = tiled.runtime();
        return new OpenClBackend[] {tiled, new OpenClBackend(rt, new GemmParams(32, 64, 0, 4, 8)),
                new OpenClBackend(rt, new GemmParams(32, 64, -1, 4, 8))};
    }

    @Test
    void gemmReluMatchesTheGemmThenReluInOneLaunchOnEveryKernel() {
        OpenClBackend[] kernels = everyGemmKernel();
        // {m, n, k}: m ≤ 8 with B transposed is the skinny kernel; the others the tiled/direct/vector ones.
        int[][] shapes = {{1, 2048, 512}, {8, 300, 129}, {37, 65, 70}, {64, 33, 17}, {3, 9, 1}};
        for (OpenClBackend be : kernels) {
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

    /**
     * rmsNormLinear against rms_norm, the scale kernel and the product: for ≤ 8 rows one launch
     * (gemm_skinny.cl's normed prologue), wider the norm with the scale, then the GEMM (two, on
     * every GEMM kernel). d across the norm's 64-item shares (63, 65, 100, 1 and T5's 512), eps
     * that matters (x of mean square ~0.01 against eps 0.01) and that does not, with and without
     * the lm_head's output scale and the ReLU epilogue.
     */
    @Test
    void rmsNormLinearIsTheNormThenTheProductWithTheNormInTheProductsLaunch() {
        OpenClBackend[] kernels = everyGemmKernel();
        float[][] epsScaleX = {{1e-6f, 1f, 40f}, {1e-2f, (float) Math.pow(512, -0.5), 0.1f}};
        int checked = 0;
        for (int rows : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 37}) {
            OpenClBackend[] backends = rows <= 8 ? new OpenClBackend[] {kernels[0]} : kernels;
            for (OpenClBackend be : backends) {
                for (int d : new int[] {512, 63, 65, 100, 1}) {
                    int n = (rows + d) % 2 == 0 ? 300 : 9;
                    for (float[] c : epsScaleX) {
                        for (boolean relu : new boolean[] {false, true}) {
                            float eps = c[0], outScale = c[1];
                            int xOff = 3, normOff = 2, wOff = 5;
                            DeviceBuffer x = be.upload(rand(xOff + rows * d, c[2])), norm = be.upload(rand(normOff + d, 1f));
                            DeviceBuffer w = be.upload(rand(wOff + n * d, 1f));
                            DeviceBuffer fused = be.upload(rand(rows * n, 1f)), ref = be.allocate(rows * n);
                            DeviceBuffer normed = be.allocate(rows * d), inv = be.allocate(rows);
                            long before = be.kernelLaunches();
                            be.rmsNormLinear(rows, n, d, x, xOff, norm, normOff, eps, outScale, w, wOff, relu, fused);
                            assertEquals(rows <= 8 ? 1 : 2, be.kernelLaunches() - before, rows + " rows: norm + product launches");
                            be.rmsNorm(x, xOff, norm, normOff, rows, d, eps, normed, inv);
                            if (outScale != 1f) be.scale(normed, 0, outScale, normed, rows * d);
                            if (relu) {
                                be.gemmRelu(false, true, rows, n, d, normed, 0, w, wOff, ref);
                            } else {
                                be.gemm(false, true, rows, n, d, normed, 0, w, wOff, ref, 0, false);
                            }
                            // The prologue makes each normed value with rms.cl's operations in
                            // rms_norm's order and feeds it to the same fma chain the plain kernel
                            // runs: the same bits.
                            String what = be.gemmParams() + " " + rows + "x" + n + "x" + d + " eps " + eps + " scale " + outScale
                                    + (relu ? " relu" : "");
                            assertArrayEquals(be.download(ref, 0, rows * n), be.download(fused, 0, rows * n), 0f, what);
                            for (DeviceBuffer b : new DeviceBuffer[] {x, norm, w, fused, ref, normed, inv}) b.close();
                            checked++;
                        }
                    }
                }
            }
        }
        System.out.printf("OpenCL norm-prologue gemm: %d cases bit-identical to rms_norm + gemm%n", checked);
    }

    /**
     * addLinear (the residual add in the GEMM's epilogue) against the GEMM then the add kernel, on
     * every GEMM kernel (m ≤ 8 with B transposed is the skinny one), one launch; k = 0 is a copy.
     */
    @Test
    void addLinearIsTheProductThenTheAddInOneLaunchOnEveryKernel() {
        OpenClBackend[] kernels = everyGemmKernel();
        int[][] shapes = {{1, 512, 2048}, {8, 300, 129}, {5, 9, 1}, {37, 65, 70}, {64, 33, 17}, {3, 4, 0}};
        for (OpenClBackend be : kernels) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2], rOff = 4, aOff = 2, wOff = 5;
                DeviceBuffer r = be.upload(rand(rOff + m * n, 10f)), a = be.upload(rand(aOff + m * k, 1f));
                DeviceBuffer w = be.upload(rand(wOff + n * k, 1f));
                DeviceBuffer fused = be.upload(rand(m * n, 1f)), product = be.allocate(m * n), ref = be.allocate(m * n);
                long before = be.kernelLaunches();
                be.addLinear(m, n, k, r, rOff, a, aOff, w, wOff, fused);
                assertEquals(1, be.kernelLaunches() - before, "product + residual add is one launch");
                be.gemm(false, true, m, n, k, a, aOff, w, wOff, product, 0, false);
                be.binary(Backend.ADD, new int[] {m * n}, r, rOff, new int[] {1}, product, 0, new int[] {1}, ref);
                // The same kernel makes the same product; the epilogue's one add is the add kernel's.
                String what = be.gemmParams() + " " + m + "x" + n + "x" + k;
                assertArrayEquals(be.download(ref, 0, m * n), be.download(fused, 0, m * n), 0f, what);
                for (DeviceBuffer b : new DeviceBuffer[] {r, a, w, fused, product, ref}) b.close();
            }
        }
    }

    @Test
    void splitKGemmAddsTheResidualToTheSumOfItsChunks() {
        OpenClBackend cl = OpenClAvailable.backend();
        int m = 40, n = 24, k = 300, rOff = 3;
        ClBuffer da = cl.upload(rand(m * k, 1f)), db = cl.upload(rand(k * n, 1f)), r = cl.upload(rand(rOff + m * n, 10f));
        ClBuffer fused = cl.allocate(m * n), product = cl.allocate(m * n), ref = cl.allocate(m * n);
        ClGemm.runSplitK(cl.runtime(), cl.gemmParams(), false, false, m, n, k, 3, da, 0, db, 0, fused, 0,
                ClGemm.EPILOGUE_RESIDUAL, r, rOff);
        ClGemm.runSplitK(cl.runtime(), cl.gemmParams(), false, false, m, n, k, 3, da, 0, db, 0, product, 0, false);
        cl.binary(Backend.ADD, new int[] {m * n}, r, rOff, new int[] {1}, product, 0, new int[] {1}, ref);
        assertArrayEquals(cl.download(ref, 0, m * n), cl.download(fused, 0, m * n), 0f, "split-K sum onto the residual: same bits");
        for (ClBuffer buf : new ClBuffer[] {da, db, r, fused, product, ref}) buf.close();
    }
}
