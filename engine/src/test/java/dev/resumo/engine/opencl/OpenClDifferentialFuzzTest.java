package dev.resumo.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.BackendShapes;
import dev.resumo.engine.backend.CpuBackend;
import dev.resumo.engine.backend.DeviceBuffer;
import dev.resumo.engine.optim.Adafactor;
import dev.resumo.engine.optim.AdafactorConfig;
import dev.resumo.engine.optim.AdamW;
import dev.resumo.engine.optim.AdamWConfig;
import dev.resumo.engine.optim.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A seeded, bounded differential fuzz of every {@link Backend} op of the OpenCL backend against
 * the CPU backend: random shapes drawn from edge sizes (1, primes, one under / at / over the
 * work-group and GEMM tile sizes, zero where the API takes it), random offsets and strides, values
 * with NaN, ±inf, -0, denormals and large magnitudes mixed in, and output buffers reused across
 * calls (kernels keep their arguments between launches; a stale one would show here).
 *
 * <p>Each element is compared with a bound derived from the op (see {@link #bound} and the
 * tolerance stated next to each op): NaN must match NaN, an infinity the same infinity, a finite
 * value within its bound. {@code -Dresumo.fuzz.rounds=N -Dresumo.fuzz.seed=S} run a longer or
 * different sweep; the default is a few seconds of cases after the kernels are built.
 */
@Tag("opencl")
class OpenClDifferentialFuzzTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    /** The unit roundoff of float32. */
    private static final double U = Math.scalb(1.0, -24);
    private static final long SEED = Long.getLong("resumo.fuzz.seed", 20_240_611L);
    private static final int ROUNDS = Integer.getInteger("resumo.fuzz.rounds", 6);

    /** Sizes around the kernels' boundaries: ROW_WG 64, GEMM tiles 16/32/64, skinny rows 8, vector width 8. */
    private static final int[] EDGE = {1, 2, 3, 5, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129};

    private final Map<String, int[]> cases = new LinkedHashMap<>(); // op → {cases, elements}
    private final Map<String, Double> worst = new LinkedHashMap<>(); // op → largest error / bound seen
    private final List<String> failures = new ArrayList<>();

    private Random rng;
    private OpenClBackend cl;

    // ---- values ----

    private static final float[] SPECIALS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f,
        Float.MIN_VALUE, -3 * Float.MIN_VALUE, Float.MIN_NORMAL / 3, 1e-30f, -1e15f, 1e15f};

    /** Gaussian values; with specials, about one in 30 is one of {@link #SPECIALS}. */
    private float[] values(int n, boolean specials) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = specials && rng.nextInt(30) == 0 ? SPECIALS[rng.nextInt(SPECIALS.length)] : (float) rng.nextGaussian();
        }
        return x;
    }

    private int edge() {
        return EDGE[rng.nextInt(EDGE.length)];
    }

    /** An edge size, or now and then a larger one (up to max). */
    private int size(int max) {
        return rng.nextInt(6) == 0 ? 1 + rng.nextInt(max) : Math.min(max, edge());
    }

    // ---- comparison ----

    /**
     * Compares expected (CPU) and actual (device) element by element against bounds tol[i]:
     * NaN only where the CPU has NaN, infinities equal, finite values within tol[i]. Records the
     * worst error / bound ratio of the op and the first failures.
     */
    private void compare(String op, String detail, float[] expected, float[] actual, double[] tol) {
        int[] c = cases.computeIfAbsent(op, k -> new int[2]);
        c[0]++;
        c[1] += expected.length;
        int reported = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            boolean ok;
            if (Float.isNaN(e) || Float.isNaN(a) || Float.isInfinite(e) || Float.isInfinite(a)) {
                ok = Float.compare(e, a) == 0 || (Float.isNaN(e) && Float.isNaN(a)) || Double.isInfinite(tol[i]);
            } else {
                double err = Math.abs((double) e - a);
                ok = err <= tol[i];
                if (tol[i] > 0) worst.merge(op, err / tol[i], Math::max);
                else if (err > 0) worst.merge(op, Double.POSITIVE_INFINITY, Math::max);
            }
            if (!ok && reported++ < 3) {
                failures.add(op + " " + detail + " [" + i + "]: cpu " + e + " device " + a + " bound " + tol[i]);
            }
        }
    }

    private static double[] uniform(int n, double t) {
        double[] tol = new double[n];
        java.util.Arrays.fill(tol, t);
        return tol;
    }

    /** A bound of (terms + 2)·2u·Σ|terms| + slack: two float32 sums of `terms` terms in any order. */
    private static double bound(int terms, double absSum) {
        return 2 * (terms + 2) * U * absSum + 4 * Float.MIN_VALUE;
    }

    private DeviceBuffer[] up(Backend b, float[]... xs) {
        DeviceBuffer[] out = new DeviceBuffer[xs.length];
        for (int i = 0; i < xs.length; i++) out[i] = b.upload(xs[i]);
        return out;
    }

    private static void close(DeviceBuffer... bs) {
        for (DeviceBuffer b : bs) b.close();
    }

    // ---- GEMM ----

    /** Element (i, p) of op(A) stored from off with its layout. */
    private static float at(float[] a, int off, boolean trans, int rows, int cols, int i, int p) {
        return trans ? a[off + p * rows + i] : a[off + i * cols + p];
    }

    /**
     * GEMM tolerance per element: 2(k+2)u·Σ_p |A_ip||B_pj| (+ 2u|C| when accumulating) — both
     * sides are float32 dot products of k terms, summed in different orders (tiles, fma), so
     * each is within (k+1)u·Σ|a||b| of the exact value. Elements whose Σ|a||b| overflows float
     * may overflow in one order and not the other: their bound is infinite.
     */
    private double[] gemmBounds(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                                float[] c0, int cOff, boolean acc) {
        double[] tol = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += Math.abs((double) at(a, aOff, ta, m, k, i, p) * at(b, bOff, tb, k, n, p, j));
                }
                if (acc) s += Math.abs(c0[cOff + i * n + j]);
                tol[i * n + j] = s > Float.MAX_VALUE / 4 ? Double.POSITIVE_INFINITY : bound(k, s);
            }
        }
        return tol;
    }

    private void gemmCase(String kernel, OpenClBackend dev, boolean forceSplit) {
        boolean ta = rng.nextBoolean(), tb = rng.nextBoolean(), acc = rng.nextBoolean(), specials = rng.nextInt(4) == 0;
        int m = kernel.equals("skinny") ? 1 + rng.nextInt(8) : size(150);
        int n = size(150), k = forceSplit ? 64 + rng.nextInt(400) : (rng.nextInt(12) == 0 ? 0 : size(300));
        if (kernel.equals("skinny")) {
            ta = false;
            tb = true;
        }
        if (rng.nextInt(15) == 0 && !forceSplit) m = 0; // empty outputs
        int aOff = rng.nextInt(4), bOff = rng.nextInt(4), cOff = rng.nextInt(4);
        float[] a = values(aOff + m * k, specials), b = values(bOff + k * n, specials), c = values(cOff + m * n + 2, specials);
        DeviceBuffer[] h = up(CPU, a, b, c), d = up(dev, a, b, c);
        CPU.gemm(ta, tb, m, n, k, h[0], aOff, h[1], bOff, h[2], cOff, acc);
        if (forceSplit) {
            ClGemm.runSplitK(dev.runtime(), dev.gemmParams(), ta, tb, m, n, k, 2 + rng.nextInt(3), (ClBuffer) d[0], aOff,
                    (ClBuffer) d[1], bOff, (ClBuffer) d[2], cOff, acc);
        } else {
            dev.gemm(ta, tb, m, n, k, d[0], aOff, d[1], bOff, d[2], cOff, acc);
        }
        double[] tol = gemmBounds(ta, tb, m, n, k, a, aOff, b, bOff, c, cOff, acc);
        float[] expected = CPU.download(h[2], 0, c.length), actual = dev.download(d[2], 0, c.length);
        double[] all = new double[c.length]; // values outside C's window must be untouched: bound 0
        System.arraycopy(tol, 0, all, cOff, tol.length);
        compare("gemm/" + kernel, m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " acc=" + acc + " specials=" + specials,
                expected, actual, all);
        close(d);
    }

    /** gemmRelu (the ReLU in the GEMM's epilogue) against the CPU's gemm then relu: |relu(a) − relu(b)| ≤ |a − b|, so the GEMM's bound holds. */
    private void gemmReluCase(String kernel, OpenClBackend dev) {
        boolean tb = kernel.equals("skinny") || rng.nextBoolean(), specials = rng.nextInt(4) == 0;
        int m = kernel.equals("skinny") ? 1 + rng.nextInt(8) : size(150);
        int n = size(150), k = kernel.equals("splitK") ? 64 + rng.nextInt(400) : (rng.nextInt(12) == 0 ? 0 : size(300));
        int aOff = rng.nextInt(4), bOff = rng.nextInt(4);
        float[] a = values(aOff + m * k, specials), b = values(bOff + k * n, specials), c = values(m * n + 2, specials);
        DeviceBuffer[] h = up(CPU, a, b, c), d = up(dev, a, b, c);
        CPU.gemmRelu(false, tb, m, n, k, h[0], aOff, h[1], bOff, h[2]);
        if (kernel.equals("splitK")) {
            ClGemm.runSplitK(dev.runtime(), dev.gemmParams(), false, tb, m, n, k, 2 + rng.nextInt(3), (ClBuffer) d[0], aOff,
                    (ClBuffer) d[1], bOff, (ClBuffer) d[2], 0, ClGemm.EPILOGUE_RELU);
        } else {
            dev.gemmRelu(false, tb, m, n, k, d[0], aOff, d[1], bOff, d[2]);
        }
        double[] all = new double[c.length]; // the two floats past C must be untouched: bound 0
        System.arraycopy(gemmBounds(false, tb, m, n, k, a, aOff, b, bOff, c, 0, false), 0, all, 0, m * n);
        compare("gemmRelu/" + kernel, m + "x" + n + "x" + k + " tb=" + tb + " specials=" + specials,
                CPU.download(h[2], 0, c.length), dev.download(d[2], 0, c.length), all);
        close(d);
    }

    private void gemmBatchedCase(OpenClBackend dev) {
        boolean ta = rng.nextBoolean(), tb = rng.nextBoolean(), acc = rng.nextBoolean();
        int m = size(40), n = size(40), k = size(70), batch = 1 + rng.nextInt(4), slots = 1 + rng.nextInt(3);
        int[] aOffs = new int[batch], bOffs = new int[batch];
        for (int t = 0; t < batch; t++) { // broadcast: slots repeat
            aOffs[t] = rng.nextInt(slots) * m * k + rng.nextInt(2);
            bOffs[t] = rng.nextInt(slots) * k * n + rng.nextInt(2);
        }
        int cOff = rng.nextInt(3);
        float[] a = values(slots * m * k + 1, false), b = values(slots * k * n + 1, false), c = values(cOff + batch * m * n, false);
        DeviceBuffer[] h = up(CPU, a, b, c), d = up(dev, a, b, c);
        CPU.gemmBatched(ta, tb, m, n, k, h[0], aOffs, h[1], bOffs, h[2], cOff, acc);
        dev.gemmBatched(ta, tb, m, n, k, d[0], aOffs, d[1], bOffs, d[2], cOff, acc);
        double[] tol = new double[c.length];
        for (int t = 0; t < batch; t++) {
            double[] one = gemmBounds(ta, tb, m, n, k, a, aOffs[t], b, bOffs[t], c, cOff + t * m * n, acc);
            System.arraycopy(one, 0, tol, cOff + t * m * n, one.length);
        }
        compare("gemmBatched", m + "x" + n + "x" + k + " batch " + batch, CPU.download(h[2], 0, c.length),
                dev.download(d[2], 0, c.length), tol);
        close(d);
    }

    // ---- elementwise and strided ----

    /** A random view of `shape` over a buffer: permuted, padded, some dims broadcast (stride 0). */
    private int[] strides(int[] shape, boolean broadcast) {
        int r = shape.length;
        int[] order = new int[r];
        for (int i = 0; i < r; i++) order[i] = i;
        if (rng.nextBoolean()) { // a transpose-like permutation
            for (int i = r - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int[] s = new int[r];
        int acc = 1;
        for (int i = r - 1; i >= 0; i--) {
            int d = order[i];
            s[d] = acc;
            acc *= shape[d] + (rng.nextInt(4) == 0 ? 1 : 0); // padding between rows
        }
        if (broadcast) for (int i = 0; i < r; i++) if (rng.nextInt(3) == 0) s[i] = 0;
        return s;
    }

    private static int extent(int[] shape, int[] strides) {
        long max = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) return 0;
            max += (long) (shape[i] - 1) * strides[i];
        }
        return (int) max + 1;
    }

    private int[] shape() {
        int r = 1 + rng.nextInt(4);
        int[] s = new int[r];
        for (int i = 0; i < r; i++) s[i] = rng.nextInt(25) == 0 ? 0 : rng.nextInt(3) == 0 ? 1 : 1 + rng.nextInt(9);
        if (rng.nextInt(4) == 0) s[r - 1] = edge();
        return s;
    }

    private void binaryCase() {
        int op = rng.nextInt(4);
        int[] shape = shape(), as = strides(shape, true), bs = strides(shape, true);
        int aOff = rng.nextInt(3), bOff = rng.nextInt(3), n = (int) BackendShapes.size(shape);
        float[] a = values(aOff + extent(shape, as), true), b = values(bOff + extent(shape, bs), true);
        float[] out = new float[n];
        DeviceBuffer[] h = up(CPU, a, b, out), d = up(cl, a, b, out);
        CPU.binary(op, shape, h[0], aOff, as, h[1], bOff, bs, h[2]);
        cl.binary(op, shape, d[0], aOff, as, d[1], bOff, bs, d[2]);
        // One IEEE operation per element, correctly rounded on both sides (PoCL reports correctly
        // rounded divide): exact.
        compare("binary", "op " + op + " " + java.util.Arrays.toString(shape), CPU.download(h[2], 0, n), cl.download(d[2], 0, n),
                uniform(n, 0));
        close(d);
    }

    private void copyCase() {
        int[] shape = shape(), ss = strides(shape, true), ds = strides(shape, false);
        int sOff = rng.nextInt(3), dOff = rng.nextInt(3);
        float[] src = values(sOff + extent(shape, ss), true), dst = values(dOff + extent(shape, ds) + 1, false);
        DeviceBuffer[] h = up(CPU, src, dst), d = up(cl, src, dst);
        CPU.copy(shape, h[0], sOff, ss, h[1], dOff, ds);
        cl.copy(shape, d[0], sOff, ss, d[1], dOff, ds);
        // Data movement: bit-exact, and the destination outside the view untouched.
        compare("copy", java.util.Arrays.toString(shape), CPU.download(h[1], 0, dst.length), cl.download(d[1], 0, dst.length),
                uniform(dst.length, 0));
        close(d);
    }

    private void sumToCase() {
        int[] g = shape();
        int lead = rng.nextInt(g.length + 1);
        int[] target = new int[g.length - lead];
        for (int i = 0; i < target.length; i++) target[i] = rng.nextInt(2) == 0 ? 1 : g[lead + i];
        int n = (int) BackendShapes.size(target), gn = (int) BackendShapes.size(g);
        float[] gv = values(gn, false), dst = values(n, false);
        DeviceBuffer[] h = up(CPU, gv, dst), d = up(cl, gv, dst);
        CPU.sumTo(g, h[0], target, h[1]);
        cl.sumTo(g, d[0], target, d[1]);
        // Each output sums the reduced elements: bound(reduced count, Σ|g| over the whole tensor).
        double abs = 0;
        for (float v : gv) abs += Math.abs(v);
        int reduced = n == 0 ? 0 : gn / n;
        compare("sumTo", java.util.Arrays.toString(g) + "->" + java.util.Arrays.toString(target), CPU.download(h[1], 0, n),
                cl.download(d[1], 0, n), uniform(n, bound(reduced, abs)));
        close(d);
    }

    private interface Unary {
        void run(Backend b, DeviceBuffer x, int xOff, DeviceBuffer out, int n);
    }

    private interface UnaryBackward {
        void run(Backend b, DeviceBuffer x, int xOff, DeviceBuffer g, int gOff, DeviceBuffer dx, int n);
    }

    /**
     * Activation tolerance: |Δ| ≤ 1e-6·(1 + |x|)·(1 + x²)·|g| (g = 1 forward). The device's
     * tanh / erfc / exp are OpenCL's (within 5 / 16 / 3 ulp), the CPU's Java's or double; the
     * activation is x·s(x) with s's error up to 16 ulp of 1 (≈ 1e-6) times |x|, and the backward's
     * x·(1 − t²)·(1 + 3·0.0447x²) term multiplies tanh's error by up to ~x². Beyond |x| ≈ 10 every
     * function saturates to exact values on both sides.
     */
    private static double activationTol(float x, float g) {
        double ax = Math.abs((double) x);
        return 1e-6 * (1 + ax) * (1 + Math.min(ax * ax, 100)) * (g == 0 ? 1 : Math.abs((double) g)) + 4 * Float.MIN_VALUE;
    }

    private void unaryCase(String name, Unary op, boolean exact) {
        int n = rng.nextInt(10) == 0 ? 0 : size(5000), off = rng.nextInt(3);
        float[] x = values(off + n, true), out = values(n, false);
        for (int i = 0; i < x.length; i++) if (rng.nextInt(4) == 0) x[i] *= 12; // the saturated tails
        DeviceBuffer[] h = up(CPU, x, out), d = up(cl, x, out);
        op.run(CPU, h[0], off, h[1], n);
        op.run(cl, d[0], off, d[1], n);
        double[] tol = new double[n];
        for (int i = 0; i < n; i++) tol[i] = exact ? 0 : activationTol(x[off + i], 1);
        compare(name, "n=" + n, CPU.download(h[1], 0, n), cl.download(d[1], 0, n), tol);
        // Again on the same buffers with a shorter length and another offset: the kernel object
        // keeps its arguments between launches and only changed ones are set again.
        int n2 = rng.nextInt(n + 1), off2 = rng.nextInt(off + 1);
        op.run(CPU, h[0], off2, h[1], n2);
        op.run(cl, d[0], off2, d[1], n2);
        for (int i = 0; i < n2; i++) tol[i] = exact ? 0 : activationTol(x[off2 + i], 1);
        compare(name, "reused buffers n=" + n2, CPU.download(h[1], 0, n), cl.download(d[1], 0, n), tol);
        close(d);
    }

    private void backwardCase(String name, UnaryBackward op, boolean exact) {
        int n = rng.nextInt(10) == 0 ? 0 : size(5000), xOff = rng.nextInt(3), gOff = rng.nextInt(3);
        float[] x = values(xOff + n, true), g = values(gOff + n, true), dx = values(n, false);
        for (int i = 0; i < x.length; i++) if (rng.nextInt(4) == 0) x[i] *= 12;
        DeviceBuffer[] h = up(CPU, x, g, dx), d = up(cl, x, g, dx);
        op.run(CPU, h[0], xOff, h[1], gOff, h[2], n);
        op.run(cl, d[0], xOff, d[1], gOff, d[2], n);
        double[] tol = new double[n];
        for (int i = 0; i < n; i++) tol[i] = exact ? 0 : activationTol(x[xOff + i], g[gOff + i]);
        compare(name, "n=" + n, CPU.download(h[2], 0, n), cl.download(d[2], 0, n), tol);
        close(d);
    }

    private void scaleAndAddIntoCase() {
        int n = rng.nextInt(10) == 0 ? 0 : size(5000), off = rng.nextInt(3);
        float s = rng.nextInt(5) == 0 ? SPECIALS[rng.nextInt(SPECIALS.length)] : (float) rng.nextGaussian();
        float[] x = values(off + n, true), out = values(n, false);
        DeviceBuffer[] h = up(CPU, x, out), d = up(cl, x, out);
        CPU.scale(h[0], off, s, h[1], n);
        cl.scale(d[0], off, s, d[1], n);
        compare("scale", "n=" + n + " s=" + s, CPU.download(h[1], 0, n), cl.download(d[1], 0, n), uniform(n, 0)); // one multiply: exact
        CPU.addInto(h[1], 0, h[0], off, n); // reusing the buffers of the last launch
        cl.addInto(d[1], 0, d[0], off, n);
        compare("addInto", "n=" + n, CPU.download(h[1], 0, n), cl.download(d[1], 0, n), uniform(n, 0)); // one add: exact
        close(d);
    }

    // ---- reductions ----

    private void reductionCase() {
        int[] ns = {0, 1, 63, 64, 65, 4095, 4096, 4097, 8193, 100_003};
        int n = rng.nextInt(3) == 0 ? ns[rng.nextInt(ns.length)] : size(20_000), off = rng.nextInt(3);
        boolean specials = rng.nextInt(5) == 0;
        float[] x = values(off + n, specials);
        DeviceBuffer hx = CPU.upload(x), dx = cl.upload(x);
        double abs = 0, sq = 0;
        for (int i = 0; i < n; i++) {
            abs += Math.abs(x[off + i]);
            sq += (double) x[off + i] * x[off + i];
        }
        // Device: float32 sums per row of 4096 (tree over 64 items), rows added in double; CPU:
        // float vector partials per chunk added in double. bound(n, Σ|x|) covers both orders.
        compare("sumAll", "n=" + n, new float[] {(float) CPU.sumAll(hx, off, n)}, new float[] {(float) cl.sumAll(dx, off, n)},
                new double[] {sq > 1e36 ? Double.POSITIVE_INFINITY : bound(n, abs)});
        compare("sumSquares", "n=" + n, new float[] {(float) CPU.sumSquares(hx, off, n)},
                new float[] {(float) cl.sumSquares(dx, off, n)}, new double[] {sq > 1e36 ? Double.POSITIVE_INFINITY : bound(n, sq)});
        dx.close();

        int outer = size(40), len = rng.nextInt(10) == 0 ? 0 : size(300), inner = rng.nextInt(2) == 0 ? 1 : size(40);
        float[] t = values(off + outer * len * inner, false), out = values(outer * inner, false);
        DeviceBuffer[] h = up(CPU, t, out), d = up(cl, t, out);
        CPU.sumAxis(h[0], off, outer, len, inner, h[1]);
        cl.sumAxis(d[0], off, outer, len, inner, d[1]);
        double[] tol = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int kk = 0; kk < len; kk++) s += Math.abs(t[off + (o * len + kk) * inner + i]);
                tol[o * inner + i] = bound(len, s);
            }
        }
        compare("sumAxis", outer + "x" + len + "x" + inner, CPU.download(h[1], 0, outer * inner),
                cl.download(d[1], 0, outer * inner), tol);
        close(d);
    }

    // ---- softmax, norms, attention, cross-entropy ----

    /** Logits with masked entries (-inf, T5's finfo.min), some rows fully masked, NaN rarely. */
    private float[] logits(int rows, int n, double nanRate) {
        float[] z = values(rows * n, false);
        for (int i = 0; i < z.length; i++) z[i] *= 4;
        for (int r = 0; r < rows; r++) {
            int kind = rng.nextInt(8);
            for (int i = 0; i < n; i++) {
                int at = r * n + i;
                if (kind == 0) z[at] = Float.NEGATIVE_INFINITY;
                else if (kind == 1 && rng.nextInt(3) == 0) z[at] = -3.4028235e38f;
                else if (kind == 2 && rng.nextInt(3) == 0) z[at] = Float.NEGATIVE_INFINITY;
                else if (kind == 3) z[at] += 80; // large logits: exp overflows without the max shift
                else if (rng.nextDouble() < nanRate) z[at] = Float.NaN;
            }
        }
        return z;
    }

    private void softmaxCase() {
        int rows = rng.nextInt(12) == 0 ? 0 : size(40), n = size(700);
        float[] z = logits(rows, n, 0.002), g = values(rows * n, false), dz = values(rows * n, false);
        DeviceBuffer[] h = up(CPU, z, g, dz), d = up(cl, z, g, dz);
        CPU.softmaxRows(h[0], rows, n);
        cl.softmaxRows(d[0], rows, n);
        float[] y = CPU.download(h[0], 0, rows * n);
        // exp within 4 ulp on either side (VectorExp / OpenCL exp) and the row sum of n terms of
        // [0, 1]: relative (n + 10)·2u per probability.
        double[] tol = new double[rows * n];
        for (int i = 0; i < tol.length; i++) tol[i] = 2 * (n + 10) * U * Math.abs(y[i]) + 4 * Float.MIN_VALUE;
        compare("softmaxRows", rows + "x" + n, y, cl.download(d[0], 0, rows * n), tol);
        // The backward from the CPU's probabilities on both sides (isolates the backward kernel):
        // dz = y(g − Σgy), the dot a float32 sum of n terms: |Δ| ≤ |y|·bound(n, Σ|g y|) + 2u|dz|.
        DeviceBuffer dy = cl.upload(y);
        CPU.softmaxBackwardRows(h[0], h[1], 0, h[2], rows, n);
        cl.softmaxBackwardRows(dy, d[1], 0, d[2], rows, n);
        float[] e = CPU.download(h[2], 0, rows * n);
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.abs((double) g[r * n + i] * y[r * n + i]);
            for (int i = 0; i < n; i++) tol[r * n + i] = Math.abs(y[r * n + i]) * bound(n, s) + 4 * U * Math.abs(e[r * n + i]);
        }
        compare("softmaxBackwardRows", rows + "x" + n, e, cl.download(d[2], 0, rows * n), tol);
        close(d);
        dy.close();
    }

    private void rmsNormCase() {
        int rows = size(40), dd = size(700), xOff = rng.nextInt(3), wOff = rng.nextInt(3), gOff = rng.nextInt(3);
        float[] x = values(xOff + rows * dd, false), w = values(wOff + dd, false), g = values(gOff + rows * dd, false);
        if (rng.nextInt(4) == 0) for (int i = 0; i < x.length; i++) x[i] *= 1e4f; // T5's large activations
        float eps = rng.nextBoolean() ? 1e-6f : 1e-12f;
        float[] out = values(rows * dd, false), inv = values(rows, false), dx = values(rows * dd, false), dw = values(dd, false);
        DeviceBuffer[] h = up(CPU, x, w, g, out, inv, dx, dw), d = up(cl, x, w, g, out, inv, dx, dw);
        CPU.rmsNorm(h[0], xOff, h[1], wOff, rows, dd, eps, h[3], h[4]);
        cl.rmsNorm(d[0], xOff, d[1], wOff, rows, dd, eps, d[3], d[4]);
        // Σx² is a sum of positive terms (relative error (d+2)u on either side), then sqrt and a
        // division: relative (d + 8)·2u on 1/rms and on every output.
        float[] invE = CPU.download(h[4], 0, rows), outE = CPU.download(h[3], 0, rows * dd);
        double[] tolInv = new double[rows], tolOut = new double[rows * dd];
        for (int r = 0; r < rows; r++) tolInv[r] = 2 * (dd + 8) * U * Math.abs(invE[r]);
        for (int i = 0; i < tolOut.length; i++) tolOut[i] = 2 * (dd + 8) * U * Math.abs(outE[i]) + 4 * Float.MIN_VALUE;
        compare("rmsNorm/invRms", rows + "x" + dd, invE, cl.download(d[4], 0, rows), tolInv);
        compare("rmsNorm", rows + "x" + dd, outE, cl.download(d[3], 0, rows * dd), tolOut);
        // Backward from the CPU's invRms on both sides. dx_j = r·g_j·w_j − r³/d·x_j·Σ g w x: the
        // dot has cancellation, bound(d, Σ|g w x|); dw_j = Σ_rows g x r: bound(rows, Σ|g x r|) plus
        // the value it accumulates into.
        DeviceBuffer dInv = cl.upload(invE);
        CPU.rmsNormBackwardX(h[0], xOff, h[1], wOff, h[2], gOff, h[4], rows, dd, h[5]);
        cl.rmsNormBackwardX(d[0], xOff, d[1], wOff, d[2], gOff, dInv, rows, dd, d[5]);
        CPU.rmsNormBackwardW(h[0], xOff, h[2], gOff, h[4], rows, dd, h[6]);
        cl.rmsNormBackwardW(d[0], xOff, d[2], gOff, dInv, rows, dd, d[6]);
        double[] tolDx = new double[rows * dd], tolDw = new double[dd];
        for (int r = 0; r < rows; r++) {
            double iv = invE[r], dot = 0;
            for (int j = 0; j < dd; j++) dot += Math.abs((double) g[gOff + r * dd + j] * w[wOff + j] * x[xOff + r * dd + j]);
            for (int j = 0; j < dd; j++) {
                double t1 = Math.abs(iv * g[gOff + r * dd + j] * w[wOff + j]);
                double t2 = iv * iv * iv / dd * Math.abs(x[xOff + r * dd + j]);
                tolDx[r * dd + j] = 8 * U * t1 + t2 * bound(dd, dot) + 8 * U * t2 * dot + 4 * Float.MIN_VALUE;
                tolDw[j] += Math.abs((double) g[gOff + r * dd + j] * x[xOff + r * dd + j] * iv);
            }
        }
        for (int j = 0; j < dd; j++) tolDw[j] = bound(rows + 1, tolDw[j] + Math.abs(dw[j]));
        compare("rmsNormBackwardX", rows + "x" + dd, CPU.download(h[5], 0, rows * dd), cl.download(d[5], 0, rows * dd), tolDx);
        compare("rmsNormBackwardW", rows + "x" + dd, CPU.download(h[6], 0, dd), cl.download(d[6], 0, dd), tolDw);
        close(d);
        dInv.close();
    }

    /** addRmsNorm (one kernel on the device) against the CPU's add then rmsNorm. */
    private void addRmsNormCase() {
        int rows = size(40), dd = size(700), xOff = rng.nextInt(3), dOff = rng.nextInt(3), wOff = rng.nextInt(3);
        float[] x = values(xOff + rows * dd, false), delta = values(dOff + rows * dd, false), w = values(wOff + dd, false);
        if (rng.nextInt(4) == 0) for (int i = 0; i < x.length; i++) x[i] *= 1e4f; // T5's large activations
        float eps = rng.nextBoolean() ? 1e-6f : 1e-12f;
        float[] sum = values(rows * dd, false), out = values(rows * dd, false);
        DeviceBuffer[] h = up(CPU, x, delta, w, sum, out), d = up(cl, x, delta, w, sum, out);
        // Half the cases scale the normed output as the decoder's last norm does for a tied lm_head.
        float outScale = rng.nextBoolean() ? 1f : (float) Math.pow(rng.nextBoolean() ? 512 : 768, -0.5);
        CPU.addRmsNorm(h[0], xOff, h[1], dOff, h[2], wOff, rows, dd, eps, outScale, h[3], h[4]);
        cl.addRmsNorm(d[0], xOff, d[1], dOff, d[2], wOff, rows, dd, eps, outScale, d[3], d[4]);
        int n = rows * dd;
        // The sum is one float32 add on either side: exact. The norm of that same sum: rmsNorm's
        // bound, relative (d + 8)·2u (Σx² of positive terms in any order, sqrt, division, products),
        // and one rounding more for the output scale: (d + 9)·2u.
        compare("addRmsNorm/sum", rows + "x" + dd, CPU.download(h[3], 0, n), cl.download(d[3], 0, n), uniform(n, 0));
        float[] outE = CPU.download(h[4], 0, n);
        double[] tolOut = new double[n];
        for (int i = 0; i < n; i++) tolOut[i] = 2 * (dd + 9) * U * Math.abs(outE[i]) + 4 * Float.MIN_VALUE;
        compare("addRmsNorm", rows + "x" + dd + " scale " + outScale, outE, cl.download(d[4], 0, n), tolOut);
        close(d);
    }

    private void decodeAttentionCase() {
        int[] dkvs = {1, 7, 8, 16, 32, 63, 64, 65, 128, 255, 256};
        int rows = 1 + rng.nextInt(5), heads = 1 + rng.nextInt(4), dKv = dkvs[rng.nextInt(dkvs.length)];
        int length = rng.nextInt(3) == 0 ? 1 + rng.nextInt(300) : edge();
        int inner = heads * dKv;
        // withNew: the keys and values of position length-1 come from the q|k|v row (KvCache's step),
        // written into the cache by the call itself.
        boolean withNew = rng.nextBoolean();
        int qRowStride = inner + (withNew || rng.nextBoolean() ? 2 * inner : 0), qOff = rng.nextInt(3); // a fused q|k|v row
        int posStride = inner + (rng.nextBoolean() ? 0 : 3), capacity = length + rng.nextInt(3);
        int rowStride = capacity * posStride, kOff = rng.nextInt(3), vOff = kOff + rows * rowStride + rng.nextInt(3);
        float[] q = values(qOff + rows * qRowStride, false);
        float[] kv = values(vOff + rows * rowStride, false);
        boolean withBias = rng.nextBoolean(), withMask = rng.nextBoolean(), backwards = rng.nextBoolean();
        int biasHeadStride = 2 * length + 1, biasPosStride = backwards ? -1 : 1;
        int biasOff = backwards ? length - 1 + rng.nextInt(2) : rng.nextInt(2);
        float[] bias = withBias ? values(heads * biasHeadStride + 2, false) : null;
        int maskRowStride = length + rng.nextInt(3), maskOff = rng.nextInt(2);
        float[] mask = null;
        if (withMask) {
            mask = new float[maskOff + rows * maskRowStride];
            for (int r = 0; r < rows; r++) {
                boolean allMasked = rng.nextInt(6) == 0;
                // A fully masked row uses T5's mask value (AttentionMasks.MASKED = -Float.MAX_VALUE): with
                // every score -inf the CPU kernel gives NaN and the device zeros (softmaxRows' rule).
                for (int p = 0; p < length; p++) {
                    boolean masked = allMasked || rng.nextInt(4) == 0;
                    mask[maskOff + r * maskRowStride + p] = allMasked ? -Float.MAX_VALUE
                            : masked ? (rng.nextBoolean() ? Float.NEGATIVE_INFINITY : -Float.MAX_VALUE) : 0f;
                }
                if (!allMasked && length > 0) mask[maskOff + r * maskRowStride + rng.nextInt(length)] = 0f;
            }
        }
        float[] out = values(rows * inner, false);
        DeviceBuffer hq = CPU.upload(q), hkv = CPU.upload(kv), hout = CPU.upload(out);
        DeviceBuffer dq = cl.upload(q), dkv = cl.upload(kv), dout = cl.upload(out);
        DeviceBuffer hb = withBias ? CPU.upload(bias) : null, db = withBias ? cl.upload(bias) : null;
        DeviceBuffer hm = withMask ? CPU.upload(mask) : null, dm = withMask ? cl.upload(mask) : null;
        if (withNew) {
            CPU.decodeAttention(rows, heads, dKv, length, hq, qOff + inner, qOff + 2 * inner, qRowStride, hq, qOff, qRowStride,
                    hkv, kOff, hkv, vOff, rowStride, posStride, hb, biasOff, biasHeadStride, biasPosStride, hm, maskOff,
                    maskRowStride, hout);
            cl.decodeAttention(rows, heads, dKv, length, dq, qOff + inner, qOff + 2 * inner, qRowStride, dq, qOff, qRowStride,
                    dkv, kOff, dkv, vOff, rowStride, posStride, db, biasOff, biasHeadStride, biasPosStride, dm, maskOff,
                    maskRowStride, dout);
            // The cache write is data movement: the whole cache buffer must match exactly.
            compare("decodeAttention/cache write", rows + "r " + heads + "h dKv " + dKv + " len " + length,
                    CPU.download(hkv, 0, kv.length), cl.download(dkv, 0, kv.length), uniform(kv.length, 0));
            for (int r = 0; r < rows; r++) { // the bound below reads the keys and values as written
                int at = (length - 1) * posStride + r * rowStride, from = qOff + r * qRowStride;
                System.arraycopy(q, from + inner, kv, kOff + at, inner);
                System.arraycopy(q, from + 2 * inner, kv, vOff + at, inner);
            }
        } else {
            CPU.decodeAttention(rows, heads, dKv, length, hq, qOff, qRowStride, hkv, kOff, hkv, vOff, rowStride, posStride,
                    hb, biasOff, biasHeadStride, biasPosStride, hm, maskOff, maskRowStride, hout);
            cl.decodeAttention(rows, heads, dKv, length, dq, qOff, qRowStride, dkv, kOff, dkv, vOff, rowStride, posStride,
                    db, biasOff, biasHeadStride, biasPosStride, dm, maskOff, maskRowStride, dout);
        }
        // Scores are dots of dKv terms: |Δs| ≤ bound(dKv, Σ|q k|) = δ; probabilities then move by
        // a relative 2δ + exp and sum rounding (2(length + 10)u), and out = Σ p·v by that times
        // Σ p|v| plus its own sum's bound(length, Σ p|v|).
        double[] tol = new double[rows * inner];
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < heads; h++) {
                double delta = 0;
                double[] s = new double[length];
                double top = Double.NEGATIVE_INFINITY;
                for (int p = 0; p < length; p++) {
                    double dot = 0, abs = 0;
                    for (int j = 0; j < dKv; j++) {
                        double a = q[qOff + r * qRowStride + h * dKv + j], b = kv[kOff + r * rowStride + p * posStride + h * dKv + j];
                        dot += a * b;
                        abs += Math.abs(a * b);
                    }
                    delta = Math.max(delta, bound(dKv, abs));
                    double add = withBias ? bias[biasOff + h * biasHeadStride + p * biasPosStride] : 0;
                    if (withMask) add += mask[maskOff + r * maskRowStride + p];
                    s[p] = dot + add;
                    top = Math.max(top, s[p]);
                }
                double sum = 0;
                double[] w = new double[length];
                for (int p = 0; p < length; p++) sum += w[p] = top == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[p] - top);
                double rel = 2 * delta + 2 * (length + 10) * U;
                for (int j = 0; j < dKv; j++) {
                    double pv = 0;
                    for (int p = 0; p < length; p++) pv += (sum == 0 ? 0 : w[p] / sum) * Math.abs(kv[vOff + r * rowStride + p * posStride + h * dKv + j]);
                    tol[r * inner + h * dKv + j] = rel * pv + bound(length, pv);
                }
            }
        }
        compare("decodeAttention", rows + "r " + heads + "h dKv " + dKv + " len " + length + " new " + withNew + " bias " + withBias
                + (backwards ? " (backwards)" : "") + " mask " + withMask, CPU.download(hout, 0, rows * inner),
                cl.download(dout, 0, rows * inner), tol);
        close(dq, dkv, dout);
        if (db != null) db.close();
        if (dm != null) dm.close();
    }

    private void indexCase() {
        int v = size(300), dd = size(200), count = rng.nextInt(8) == 0 ? 0 : size(400), tOff = rng.nextInt(3) * dd;
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = rng.nextInt(3) == 0 ? 0 : rng.nextInt(v); // a frequent id, like padding
        float[] table = values(tOff + v * dd, true), out = values(count * dd, false);
        DeviceBuffer[] h = up(CPU, table, out), d = up(cl, table, out);
        CPU.gatherRows(h[0], tOff, dd, ids, h[1]);
        cl.gatherRows(d[0], tOff, dd, ids, d[1]);
        compare("gatherRows", count + " ids d=" + dd, CPU.download(h[1], 0, count * dd), cl.download(d[1], 0, count * dd),
                uniform(count * dd, 0)); // data movement: exact
        // scatter-add into the table, repeated ids added in the CPU's order: exact.
        float[] src = values(tOff + count * dd, true), dst = values(v * dd, false);
        DeviceBuffer[] h2 = up(CPU, src, dst), d2 = up(cl, src, dst);
        CPU.scatterAddRows(h2[0], tOff, dd, ids, h2[1]);
        cl.scatterAddRows(d2[0], tOff, dd, ids, d2[1]);
        compare("scatterAddRows", count + " ids d=" + dd, CPU.download(h2[1], 0, v * dd), cl.download(d2[1], 0, v * dd),
                uniform(v * dd, 0));
        close(d);
        close(d2);
    }

    private void crossEntropyCase() {
        int rows = rng.nextInt(10) == 0 ? 0 : size(40), v = rng.nextInt(10) == 0 ? 32_128 : size(700), zOff = rng.nextInt(3);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) labels[r] = rng.nextInt(4) == 0 ? -100 : rng.nextBoolean() ? v - 1 : rng.nextInt(v);
        float[] z = new float[zOff + rows * v];
        float[] body = logits(rows, v, 0);
        System.arraycopy(body, 0, z, zOff, body.length);
        for (int r = 0; r < rows; r++) { // a fully masked counted row has an infinite loss: keep the label's logit finite
            if (labels[r] >= 0) z[zOff + r * v + labels[r]] = (float) rng.nextGaussian();
        }
        float scale = (float) (rng.nextDouble() + 0.1);
        float smoothing = rng.nextBoolean() ? 0f : (float) rng.nextDouble();
        float[] lse = new float[rows], dz = values(rows * v, false);
        DeviceBuffer[] h = up(CPU, z, lse, dz), d = up(cl, z, lse, dz);
        double lossE = CPU.crossEntropy(h[0], zOff, rows, v, labels, -100, smoothing, h[1]);
        double lossA = cl.crossEntropy(d[0], zOff, rows, v, labels, -100, smoothing, d[1]);
        float[] lseE = CPU.download(h[1], 0, rows), lseA = cl.download(d[1], 0, rows);
        // lse = m + log Σ exp(z − m): the sum of v terms in [0, 1] is within 2(v + 10)u relative on
        // either side, so lse within that plus 2u|m| absolute; the loss adds one float per row.
        double[] tolLse = new double[rows];
        double tolLoss = 0;
        for (int r = 0; r < rows; r++) {
            if (labels[r] == -100) { // the CPU leaves an ignored row's lse as it was: not part of the contract
                lseA[r] = lseE[r];
                continue;
            }
            tolLse[r] = 2 * (v + 10) * U + 4 * U * Math.abs(lseE[r]);
            tolLoss += tolLse[r] + 4 * U * Math.abs(z[zOff + r * v + labels[r]]);
            if (smoothing != 0f) { // the mean of lse − z: v non-negative terms summed in float on either side
                double below = 0;
                for (int i = 0; i < v; i++) below += Math.abs((double) lseE[r] - z[zOff + r * v + i]);
                tolLoss += tolLse[r] + 2 * (v + 10) * U * below / v;
            }
        }
        compare("crossEntropy/lse", rows + "x" + v, lseE, lseA, tolLse);
        compare("crossEntropy", rows + "x" + v, new float[] {(float) lossE}, new float[] {(float) lossA},
                new double[] {tolLoss + 4 * U * Math.abs(lossE)});
        // Backward from the CPU's lse on both sides: dz = scale·(exp(z − lse) − onehot), exp within
        // 4 ulp on either side plus the rounding of z − lse (2u·|z − lse| relative).
        DeviceBuffer dLse = cl.upload(lseE);
        CPU.crossEntropyBackward(h[0], zOff, rows, v, labels, -100, smoothing, h[1], scale, h[2]);
        cl.crossEntropyBackward(d[0], zOff, rows, v, labels, -100, smoothing, dLse, scale, d[2]);
        float[] e = CPU.download(h[2], 0, rows * v);
        double[] tol = new double[rows * v];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < v; i++) {
                double p = Math.abs(e[r * v + i] + (i == labels[r] ? scale * (1 - smoothing) : 0) + scale * smoothing / v);
                double arg = Math.abs((double) z[zOff + r * v + i] - lseE[r]);
                tol[r * v + i] = p * (10 * U + 2 * U * (Double.isFinite(arg) ? arg : 0)) + 4 * U * scale + 4 * Float.MIN_VALUE;
            }
        }
        compare("crossEntropyBackward", rows + "x" + v, e, cl.download(d[2], 0, rows * v), tol);
        close(d);
        dLse.close();
    }

    // ---- optimizers ----

    private int[] paramShape() {
        int rank = 1 + rng.nextInt(3);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = rng.nextInt(3) == 0 ? 1 : rank == 1 ? size(5000) : size(rank == 2 ? 160 : 40);
        return s;
    }

    /**
     * Three steps of AdamW or Adafactor (a random configuration) on host and device copies of a
     * few parameters with the same gradients, through the optimizers' own API (device parameters
     * go to ClAdamW / ClAdafactor). Gradients at mixed scales (1e-20 to 1e3), some all zero.
     * Tolerance per element |Δp| ≤ 1e-5·(|u| + rms(u)) + 12u|p|, u the CPU's total update: the
     * device's float32 tree sums (RMS, factored row/column means) differ from the CPU's double
     * accumulation by ~1e-7 relative, which moves each update by about that, and each of the three
     * steps rounds p once on either side.
     */
    private void optimizerCase() {
        boolean adam = rng.nextBoolean();
        AdafactorConfig af = switch (rng.nextInt(4)) {
            case 0 -> AdafactorConfig.defaults();
            case 1 -> AdafactorConfig.defaults().withWarmupInit(true);
            case 2 -> AdafactorConfig.fixedLr(1e-3).withBeta1(0.9).withWeightDecay(0.01);
            default -> AdafactorConfig.fixedLr(1e-2).withScaleParameter(false);
        };
        AdamWConfig aw = AdamWConfig.of(rng.nextBoolean() ? 1e-3 : 3e-2,
                rng.nextBoolean() ? 0 : 0.01);
        int count = 1 + rng.nextInt(3);
        Map<String, Tensor> host = new LinkedHashMap<>(), onDevice = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            Tensor p = Tensor.randn(rng, 0.5f, paramShape());
            host.put("p" + i, p);
            onDevice.put("p" + i, p.to(cl));
        }
        Map<String, float[]> before = new LinkedHashMap<>();
        host.forEach((k, v) -> before.put(k, v.toArray()));
        Optimizer ho = adam ? new AdamW(host, aw)
                : new Adafactor(host, af);
        Optimizer dO = adam ? new AdamW(onDevice, aw)
                : new Adafactor(onDevice, af);
        for (int step = 0; step < 3; step++) {
            for (String name : host.keySet()) {
                float scale = new float[] {1e-20f, 1e-3f, 1f, 1e3f}[rng.nextInt(4)];
                Tensor g = rng.nextInt(8) == 0 ? Tensor.zeros(host.get(name).shape())
                        : Tensor.randn(rng, scale, host.get(name).shape());
                host.get(name).setGrad(g);
                onDevice.get(name).setGrad(g.to(cl));
            }
            ho.step();
            dO.step();
        }
        for (String name : host.keySet()) {
            float[] e = host.get(name).toArray(), a = onDevice.get(name).toArray(), b = before.get(name);
            double ms = 0;
            for (int i = 0; i < e.length; i++) ms += ((double) e[i] - b[i]) * ((double) e[i] - b[i]);
            double rms = Math.sqrt(ms / Math.max(1, e.length));
            double[] tol = new double[e.length];
            for (int i = 0; i < e.length; i++) tol[i] = 1e-5 * (Math.abs((double) e[i] - b[i]) + rms) + 12 * U * Math.abs(e[i]);
            compare(adam ? "AdamW" : "Adafactor", (adam ? aw : af) + " " + java.util.Arrays.toString(host.get(name).shape()),
                    e, a, tol);
        }
    }

    // ---- the sweep ----

    private String report() {
        StringBuilder sb = new StringBuilder("OpenCL differential fuzz (seed " + SEED + ", " + ROUNDS + " rounds):\n");
        cases.forEach((op, c) -> sb.append(String.format("  %-22s %5d cases %10d elements  worst error/bound %.3g%n", op, c[0],
                c[1], worst.getOrDefault(op, 0.0))));
        return sb.toString();
    }

    @Test
    void everyOpMatchesTheCpuOnRandomEdgeShapesAndSpecialValues() {
        cl = OpenClAvailable.backend();
        rng = new Random(SEED);
        OpenClRuntime rt = cl.runtime();
        // The GEMM kernels the backend chooses between: the tiled one (test tiles 32×32×16; small
        // outputs move to other tiles), the direct and the vector kernel, the skinny A·Bᵀ for ≤ 8 rows
        // and the split-K path (forced: it is chosen for GPUs only).
        OpenClBackend direct = new OpenClBackend(rt, new GemmParams(32, 64, 0, 4, 8));
        OpenClBackend vector = new OpenClBackend(rt, new GemmParams(32, 64, -1, 4, 8));
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < 4; i++) gemmCase("tiled", cl, false);
            gemmCase("direct", direct, false);
            gemmCase("vector", vector, false);
            gemmCase("skinny", cl, false);
            gemmCase("splitK", cl, true);
            gemmBatchedCase(rng.nextBoolean() ? cl : vector);
            gemmReluCase("tiled", cl);
            gemmReluCase("direct", direct);
            gemmReluCase("vector", vector);
            gemmReluCase("skinny", cl);
            gemmReluCase("splitK", cl);
            for (int i = 0; i < 3; i++) {
                binaryCase();
                copyCase();
                sumToCase();
            }
            unaryCase("relu", Backend::relu, true);
            unaryCase("gelu", Backend::gelu, false);
            unaryCase("geluErf", Backend::geluErf, false);
            unaryCase("silu", Backend::silu, false);
            backwardCase("reluBackward", Backend::reluBackward, true);
            backwardCase("geluBackward", Backend::geluBackward, false);
            backwardCase("geluErfBackward", Backend::geluErfBackward, false);
            backwardCase("siluBackward", Backend::siluBackward, false);
            scaleAndAddIntoCase();
            reductionCase();
            softmaxCase();
            rmsNormCase();
            addRmsNormCase();
            decodeAttentionCase();
            indexCase();
            crossEntropyCase();
            optimizerCase();
        }
        System.out.print(report());
        failures.forEach(f -> System.out.println("  MISMATCH " + f));
        assertTrue(failures.isEmpty(), failures.size() + " mismatches, first: " + (failures.isEmpty() ? "" : failures.get(0)));
    }
}
