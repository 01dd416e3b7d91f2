package dev.resumo.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.BackendShapes;
import dev.resumo.engine.backend.CpuBackend;
import dev.resumo.engine.backend.DeviceBuffer;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every op of the OpenCL backend against the CPU backend on the same inputs. Tolerances: the
 * device sums in a different order (tree reductions, tile-wise GEMM) and its exp/tanh are
 * OpenCL's (≤ 4 ulp), so results agree to float32 rounding — 1e-5 relative to the largest
 * magnitude for sums over ≤ 1000 terms, exact for pure data movement (copy, gather, relu).
 */
@Tag("opencl")
class OpenClOpsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    private final Random rng = new Random(42);

    private float[] rand(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    /** Max |a-b| relative to max(1, max |a|). */
    private static void close(String what, float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1, err = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Float.isNaN(expected[i]) == Float.isNaN(actual[i]), what + ": NaN mismatch at " + i);
            if (!Float.isNaN(expected[i])) err = Math.max(err, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(err / scale <= tol, what + ": max error " + err + " (scale " + scale + ") above " + tol);
    }

    /** Runs an op on both backends over uploaded copies of the inputs; compares output buffer `out`. */
    private interface Op {
        void run(Backend b, DeviceBuffer[] bufs);
    }

    private void both(String what, double tol, int outIndex, Op op, float[]... inputs) {
        OpenClBackend cl = OpenClAvailable.backend();
        DeviceBuffer[] cpu = new DeviceBuffer[inputs.length], dev = new DeviceBuffer[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            cpu[i] = CPU.upload(inputs[i]);
            dev[i] = cl.upload(inputs[i]);
        }
        op.run(CPU, cpu);
        op.run(cl, dev);
        int n = inputs[outIndex].length;
        close(what, CPU.download(cpu[outIndex], 0, n), cl.download(dev[outIndex], 0, n), tol);
        for (DeviceBuffer d : dev) d.close();
    }

    @Test
    void gemmAllLayoutsAndEdgeSizes() {
        // m ≤ 8 with B transposed goes to the skinny kernel: {8, 300, 129} covers a column count that is
        // not a multiple of its 8 columns per group and a depth that is not one of its 32 lanes.
        int[][] sizes = {{1, 1, 1}, {7, 5, 3}, {8, 300, 129}, {33, 17, 65}, {64, 64, 64}, {100, 37, 129}};
        int checked = 0;
        for (int[] s : sizes) {
            int m = s[0], n = s[1], k = s[2];
            for (int layout = 0; layout < 4; layout++) {
                boolean ta = (layout & 1) != 0, tb = (layout & 2) != 0;
                for (boolean acc : new boolean[] {false, true}) {
                    both("gemm " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " acc=" + acc, 1e-5, 2,
                            (b, x) -> b.gemm(ta, tb, m, n, k, x[0], 3, x[1], 5, x[2], 2, acc),
                            rand(m * k + 3), rand(k * n + 5), rand(m * n + 2));
                    checked++;
                }
            }
        }
        System.out.println("OpenCL gemm: " + checked + " cases checked");
    }

    @Test
    void splitKGemmMatchesTheCpuInEveryLayout() {
        // Forced on this device (the split is chosen only for GPUs): depth 300 in 3 chunks of 112, 112
        // and 76 (chunks are a multiple of the tile depth 16), edges in M and N, offsets, accumulate.
        OpenClBackend cl = OpenClAvailable.backend();
        GemmParams tiles = new GemmParams(32, 32, 16, 2, 2);
        int m = 37, n = 45, k = 300;
        int checked = 0;
        for (int layout = 0; layout < 4; layout++) {
            boolean ta = (layout & 1) != 0, tb = (layout & 2) != 0;
            for (boolean acc : new boolean[] {false, true}) {
                float[] a = rand(m * k + 3), b = rand(k * n + 5), c = rand(m * n + 2);
                DeviceBuffer ca = CPU.upload(a), cb = CPU.upload(b), cc = CPU.upload(c);
                CPU.gemm(ta, tb, m, n, k, ca, 3, cb, 5, cc, 2, acc);
                ClBuffer da = cl.runtime().upload(a), db = cl.runtime().upload(b), dc = cl.runtime().upload(c);
                ClGemm.runSplitK(cl.runtime(), tiles, ta, tb, m, n, k, 3, da, 3, db, 5, dc, 2, acc);
                close("split-K gemm ta=" + ta + " tb=" + tb + " acc=" + acc, CPU.download(cc, 0, m * n + 2),
                        dc.download(), 1e-5);
                checked++;
            }
        }
        System.out.println("OpenCL split-K gemm: " + checked + " cases checked");
    }

    @Test
    void splitKIsChosenForSmallOutputsWithALongDepthOnly() {
        GemmParams big = new GemmParams(128, 128, 16, 8, 8);
        // 512×512 is 16 groups of 128×128 for 132 units: 9 chunks wanted, at most k / 256.
        assertEquals(8, ClGemm.splitsFor(big, 512, 512, 2048, 1, 132));
        assertEquals(9, ClGemm.splitsFor(big, 512, 512, 32128, 1, 132));
        assertEquals(1, ClGemm.splitsFor(big, 512, 512, 512, 1, 132), "short depth");
        assertEquals(1, ClGemm.splitsFor(big, 2048, 2048, 2048, 1, 132), "enough groups already");
        assertEquals(1, ClGemm.splitsFor(big, 512, 512, 2048, 4, 132), "batched products are not split");
        assertEquals(1, ClGemm.splitsFor(new GemmParams(32, 64, -1, 4, 8), 8, 8, 4096, 1, 132), "CPU vector kernel");
    }

    @Test
    void everyGemmTileCandidateIsCorrect() {
        OpenClBackend cl = OpenClAvailable.backend();
        int m = 70, n = 45, k = 33;
        float[] a = rand(m * k), b = rand(k * n);
        int checked = 0;
        int index = 0;
        for (GemmParams p : GemmParams.CANDIDATES) {
            if (!GemmTuning.fits(cl.runtime().info(), p)) continue;
            OpenClBackend tiled = new OpenClBackend(cl.runtime(), p);
            // One training layout per candidate, rotating (each variant is a separate PoCL compile
            // of ~2 s; every layout with the test tiles is covered by gemmAllLayoutsAndEdgeSizes).
            for (int layout = index++ % 3, once = 0; once < 1; once++) {
                boolean ta = layout == 2, tb = layout == 1;
                DeviceBuffer ca = CPU.upload(a), cb = CPU.upload(b), cc = CPU.allocate(m * n);
                CPU.gemm(ta, tb, m, n, k, ca, 0, cb, 0, cc, 0, false);
                DeviceBuffer da = tiled.upload(a), db = tiled.upload(b), dc = tiled.allocate(m * n);
                tiled.gemm(ta, tb, m, n, k, da, 0, db, 0, dc, 0, false);
                close("gemm " + p + " layout " + layout, CPU.download(cc, 0, m * n), tiled.download(dc, 0, m * n), 1e-5);
                checked++;
            }
        }
        assertTrue(checked >= 3, "at least three tile candidates must fit the device");
        System.out.println("OpenCL gemm tile candidates: " + checked + " (candidate, layout) cases checked");
    }

    @Test
    void vectorGemmKernelAllLayoutsAndEdges() {
        OpenClBackend cl = OpenClAvailable.backend();
        OpenClBackend vec = new OpenClBackend(cl.runtime(), new GemmParams(16, 64, -1, 2, 8));
        int checked = 0;
        for (int[] s : new int[][] {{1, 1, 1}, {5, 9, 7}, {33, 70, 21}, {16, 64, 16}}) {
            int m = s[0], n = s[1], k = s[2];
            for (int layout = 0; layout < 4; layout++) {
                boolean ta = (layout & 1) != 0, tb = (layout & 2) != 0;
                float[] a = rand(m * k + 1), b = rand(k * n + 2), c = rand(m * n);
                DeviceBuffer ca = CPU.upload(a), cb = CPU.upload(b), cc = CPU.upload(c);
                CPU.gemm(ta, tb, m, n, k, ca, 1, cb, 2, cc, 0, true);
                DeviceBuffer da = vec.upload(a), db = vec.upload(b), dc = vec.upload(c);
                vec.gemm(ta, tb, m, n, k, da, 1, db, 2, dc, 0, true);
                close("vector gemm " + m + "x" + n + "x" + k + " layout " + layout, CPU.download(cc, 0, m * n),
                        vec.download(dc, 0, m * n), 1e-5);
                checked++;
            }
        }
        System.out.println("OpenCL vector gemm: " + checked + " cases checked");
    }

    @Test
    void gemmBatchedWithBroadcastOffsets() {
        int m = 9, n = 11, k = 6;
        int[] aOffs = {0, m * k, 0, m * k}, bOffs = {0, 0, k * n, k * n};
        both("gemmBatched", 1e-5, 2, (b, x) -> b.gemmBatched(false, true, m, n, k, x[0], aOffs, x[1], bOffs, x[2], 0, false),
                rand(2 * m * k), rand(2 * k * n), rand(4 * m * n));
        // One query row per slot (a decoder step's q·Kᵀ per head): the skinny kernel, batched, accumulating.
        int q = 1, keys = 40, d = 70;
        int[] qOffs = {0, d, 2 * d}, kOffs = {3, 3 + keys * d, 3 + 2 * keys * d};
        both("gemmBatched skinny", 1e-5, 2, (b, x) -> b.gemmBatched(false, true, q, keys, d, x[0], qOffs, x[1], kOffs, x[2], 1, true),
                rand(3 * q * d), rand(3 + 3 * keys * d), rand(1 + 3 * q * keys));
    }

    @Test
    void broadcastBinaryOps() {
        int[] shape = {2, 3, 4, 5};
        int[] aStrides = BackendShapes.contiguousStrides(shape);
        int[] bStrides = {0, 5, 0, 1}; // b is [1, 3, 1, 5] broadcast
        int[] tStrides = {60, 1, 15, 3}; // a transposed-like view of 120 values
        for (int op = 0; op < 4; op++) {
            int o = op;
            both("binary op " + op, 1e-6, 2, (b, x) -> b.binary(o, shape, x[0], 0, aStrides, x[1], 0, bStrides, x[2]),
                    rand(120), positive(15), new float[120]);
            both("binary strided op " + op, 1e-6, 2, (b, x) -> b.binary(o, shape, x[0], 0, tStrides, x[1], 0, bStrides, x[2]),
                    rand(120), positive(15), new float[120]);
        }
    }

    private float[] positive(int n) {
        float[] x = rand(n);
        for (int i = 0; i < n; i++) x[i] = 0.5f + Math.abs(x[i]);
        return x;
    }

    @Test
    void stridedCopyAndSumTo() {
        int[] shape = {3, 4, 5};
        both("copy transpose", 0, 1, (b, x) -> b.copy(shape, x[0], 2, new int[] {1, 15, 3}, x[1], 0,
                BackendShapes.contiguousStrides(shape)), rand(62), new float[60]);
        int[] g = {2, 3, 4, 5};
        for (int[] target : new int[][] {{5}, {4, 1}, {3, 1, 5}, {1, 3, 4, 5}, {2, 1, 1, 1}, {}}) {
            both("sumTo " + java.util.Arrays.toString(target), 1e-5, 1, (b, x) -> b.sumTo(g, x[0], target, x[1]),
                    rand(120), new float[(int) BackendShapes.size(target)]);
        }
    }

    @Test
    void activationsAndScale() {
        int n = 1000;
        both("relu", 0, 1, (b, x) -> b.relu(x[0], 3, x[1], n), rand(n + 3), new float[n]);
        both("reluBackward", 0, 2, (b, x) -> b.reluBackward(x[0], 0, x[1], 0, x[2], n), rand(n), rand(n), new float[n]);
        both("gelu", 1e-6, 1, (b, x) -> b.gelu(x[0], 0, x[1], n), rand(n), new float[n]);
        both("geluBackward", 1e-6, 2, (b, x) -> b.geluBackward(x[0], 0, x[1], 0, x[2], n), rand(n), rand(n), new float[n]);
        both("geluErf", 1e-6, 1, (b, x) -> b.geluErf(x[0], 0, x[1], n), rand(n), new float[n]);
        both("geluErfBackward", 1e-6, 2, (b, x) -> b.geluErfBackward(x[0], 0, x[1], 0, x[2], n), rand(n), rand(n), new float[n]);
        both("silu", 1e-6, 1, (b, x) -> b.silu(x[0], 0, x[1], n), rand(n), new float[n]);
        both("siluBackward", 1e-6, 2, (b, x) -> b.siluBackward(x[0], 0, x[1], 0, x[2], n), rand(n), rand(n), new float[n]);
        both("scale", 0, 1, (b, x) -> b.scale(x[0], 1, 0.25f, x[1], n), rand(n + 1), new float[n]);
        both("addInto", 1e-7, 0, (b, x) -> b.addInto(x[0], 0, x[1], 2, n), rand(n), rand(n + 2));
    }

    /**
     * GELU (tanh form) where tanh saturates: the correctly rounded tanh is exactly ±1 from |u| ≈ 9.01
     * on, so gelu(x) is x or -0 and gelu'(x) is 1 or 0 on the CPU. PoCL's tanh returned ±(1 − 2^-24)
     * there, which gave gelu(-1000) = -3e-5 and, through the (1 − t²)·x³ term, gelu'(50) = 1.0008,
     * gelu'(1000) = 7.4, gelu'(1e15) = 6e36. Tolerance 1e-5 relative to max(1, |value|): saturated
     * values are exact on both sides; unsaturated ones (|x| ≤ 5) differ by tanh's few ulp, which the
     * cancellation in 1 + t makes ~1e-6 absolute at x = -5.
     */
    @Test
    void geluTanhFormSaturatesExactlyForLargeInputs() {
        float[] x = {0.5f, -2f, 5f, -5f, 8f, 10f, -10f, 50f, -50f, 100f, -100f, 1000f, -1000f, 1e6f, -1e6f, 1e15f, -1e15f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] g = new float[x.length];
        java.util.Arrays.fill(g, 1f);
        int n = x.length;
        OpenClBackend cl = OpenClAvailable.backend();
        float[][] out = new float[2][];
        int i = 0;
        for (Backend be : new Backend[] {CPU, cl}) {
            DeviceBuffer bx = be.upload(x), bg = be.upload(g), dx = be.allocate(n), y = be.allocate(n);
            be.geluBackward(bx, 0, bg, 0, dx, n);
            be.gelu(bx, 0, y, n);
            float[] both = new float[2 * n];
            System.arraycopy(be.download(dx, 0, n), 0, both, 0, n);
            System.arraycopy(be.download(y, 0, n), 0, both, n, n);
            out[i++] = both;
        }
        for (int j = 0; j < 2 * n; j++) {
            float e = out[0][j], a = out[1][j], v = x[j % n];
            String what = (j < n ? "gelu'(" : "gelu(") + v + ")";
            assertEquals(Float.isNaN(e), Float.isNaN(a), what + ": cpu " + e + " device " + a);
            if (!Float.isNaN(e)) assertEquals(e, a, 1e-5 * Math.max(1, Math.abs(e)), what);
        }
    }

    /** relu keeps NaN (Math.max and torch.relu do); the device's fmax(x, 0) turned it into 0. */
    @Test
    void reluPropagatesNaN() {
        float[] x = {Float.NaN, -1f, 2f, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        OpenClBackend cl = OpenClAvailable.backend();
        DeviceBuffer out = cl.allocate(x.length);
        cl.relu(cl.upload(x), 0, out, x.length);
        assertArrayEquals(new float[] {Float.NaN, 0f, 2f, 0f, 0f, Float.POSITIVE_INFINITY}, cl.download(out, 0, x.length));
    }

    @Test
    void reductions() {
        OpenClBackend cl = OpenClAvailable.backend();
        for (int n : new int[] {1, 63, 4096, 10_001}) {
            float[] x = rand(n + 1);
            double cpu = CPU.sumAll(CPU.upload(x), 1, n);
            double dev = cl.sumAll(cl.upload(x), 1, n);
            assertEquals(cpu, dev, 1e-5 * Math.max(1, Math.sqrt(n)), "sumAll n=" + n);
            double cpuSq = CPU.sumSquares(CPU.upload(x), 1, n), devSq = cl.sumSquares(cl.upload(x), 1, n);
            assertEquals(cpuSq, devSq, 1e-6 * cpuSq, "sumSquares n=" + n); // positive terms: relative 1e-6
        }
        both("sumAxis inner=1", 1e-5, 1, (b, x) -> b.sumAxis(x[0], 0, 6, 100, 1, x[1]), rand(600), new float[6]);
        both("sumAxis inner>1", 1e-5, 1, (b, x) -> b.sumAxis(x[0], 2, 3, 7, 11, x[1]), rand(3 * 7 * 11 + 2), new float[33]);
    }

    @Test
    void softmaxWithMaskedRows() {
        int rows = 12, n = 70;
        float[] z = rand(rows * n);
        for (int i = 0; i < n; i++) z[3 * n + i] = Float.NEGATIVE_INFINITY; // a fully masked row → zeros
        for (int i = 0; i < n; i += 3) z[5 * n + i] = -3.4028235e38f; // T5's finfo.min mask
        both("softmaxRows", 1e-6, 0, (b, x) -> b.softmaxRows(x[0], rows, n), z);
        both("softmaxBackwardRows", 1e-6, 2, (b, x) -> {
            b.softmaxRows(x[0], rows, n);
            b.softmaxBackwardRows(x[0], x[1], 0, x[2], rows, n);
        }, rand(rows * n), rand(rows * n), new float[rows * n]);
    }

    @Test
    void rmsNormForwardAndBackward() {
        int rows = 10, d = 96;
        both("rmsNorm", 1e-5, 2, (b, x) -> b.rmsNorm(x[0], 0, x[1], 0, rows, d, 1e-6f, x[2], x[3]),
                rand(rows * d), rand(d), new float[rows * d], new float[rows]);
        both("rmsNorm invRms", 1e-5, 3, (b, x) -> b.rmsNorm(x[0], 0, x[1], 0, rows, d, 1e-6f, x[2], x[3]),
                rand(rows * d), rand(d), new float[rows * d], new float[rows]);
        both("rmsNormBackwardX", 1e-5, 4, (b, x) -> {
            b.rmsNorm(x[0], 0, x[1], 0, rows, d, 1e-6f, x[5], x[3]);
            b.rmsNormBackwardX(x[0], 0, x[1], 0, x[2], 0, x[3], rows, d, x[4]);
        }, rand(rows * d), rand(d), rand(rows * d), new float[rows], new float[rows * d], new float[rows * d]);
        both("rmsNormBackwardW", 1e-5, 4, (b, x) -> {
            b.rmsNorm(x[0], 0, x[1], 0, rows, d, 1e-6f, x[5], x[3]);
            b.rmsNormBackwardW(x[0], 0, x[2], 0, x[3], rows, d, x[4]);
        }, rand(rows * d), rand(d), rand(rows * d), new float[rows], rand(d), new float[rows * d]);
    }

    @Test
    void embeddingGatherAndScatterAdd() {
        int v = 50, d = 16;
        int[] ids = {3, 7, 3, 49, 0, 7, 7};
        both("gatherRows", 0, 1, (b, x) -> b.gatherRows(x[0], 0, d, ids, x[1]), rand(v * d), new float[ids.length * d]);
        // The device adds repeated ids in the CPU's order: the same bits (into a non-zero table).
        both("scatterAddRows (repeated ids)", 0, 1, (b, x) -> b.scatterAddRows(x[0], 0, d, ids, x[1]),
                rand(ids.length * d), rand(v * d));
        int[] many = new int[300];
        for (int i = 0; i < many.length; i++) many[i] = (i * 37) % 11 == 0 ? 0 : (i * 7919) % v; // a frequent id, like padding
        both("scatterAddRows (300 ids, offset source)", 0, 1, (b, x) -> b.scatterAddRows(x[0], 3 * d, d, many, x[1]),
                rand((many.length + 3) * d), rand(v * d));
        assertArrayEquals(new int[] {0, 1, 3, 4, 6, 1, 3, 4, 7, 4, 1, 5, 3, 0, 2},
                OpenClBackend.scatterPlan(new int[] {7, 3, 7, 4, 1, 3}),
                "groups by id, positions ascending within each: starts 0,1,3,4 and end 6 | ids 1,3,4,7 | positions");
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, 0.1f})
    void crossEntropyWithIgnoredLabels(float smoothing) {
        OpenClBackend cl = OpenClAvailable.backend();
        int rows = 6, v = 300;
        // Row 0 ignored: its label must never index the row (z[-100] lies before the buffer).
        int[] labels = {-100, 5, 299, 0, -100, 17};
        float[] z = rand(rows * v);
        DeviceBuffer cz = CPU.upload(z), clse = CPU.allocate(rows), cdz = CPU.allocate(rows * v);
        DeviceBuffer dz = cl.upload(z), dlse = cl.allocate(rows), ddz = cl.allocate(rows * v);
        double cpuLoss = CPU.crossEntropy(cz, 0, rows, v, labels, -100, smoothing, clse);
        double devLoss = cl.crossEntropy(dz, 0, rows, v, labels, -100, smoothing, dlse);
        assertEquals(cpuLoss, devLoss, 1e-5 * Math.abs(cpuLoss), "cross-entropy sum, smoothing " + smoothing);
        CPU.crossEntropyBackward(cz, 0, rows, v, labels, -100, smoothing, clse, 0.25f, cdz);
        cl.crossEntropyBackward(dz, 0, rows, v, labels, -100, smoothing, dlse, 0.25f, ddz);
        close("crossEntropyBackward, smoothing " + smoothing, CPU.download(cdz, 0, rows * v), cl.download(ddz, 0, rows * v), 1e-6);
    }
}
