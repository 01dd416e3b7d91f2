package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.CpuBackend;
import dev.resumo.engine.opencl.OpenClAvailable;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Ops#decodeAttention} (one fused backend call) against the composed tensor ops it replaces
 * in a device decode (split heads, q·kᵀ, softmax with bias + mask, ·v, merge heads), on random
 * inputs with a position bias, a padding mask that hides different tails per row, a cache longer
 * than the attended length, lengths that are not multiples of the OpenCL kernel's work-group
 * (256 positions a chunk) and run over several of its chunks, and d_kv from 8 to 64, one not
 * dividing that work-group. On the host (the CPU backend's kernel, DecodeAttention), on the CPU
 * backend as a device, and on OpenCL when there is a device (the
 * OpenCL case skips otherwise, like the other OpenCL tests).
 *
 * <p>Tolerance 1e-5 relative to max(1, largest output): float32 on both sides; the fused kernels
 * sum the products and the softmax in another order (the OpenCL one rescales an online softmax
 * per chunk of 256 positions) and OpenCL's exp is within 4 ulp.
 */
class DecodeAttentionOpTest {
    private static final double TOL = 1e-5;

    /** rows, heads, d_kv, cached positions, attended length, with bias, with mask. */
    private static final int[][] CASES = {
            {3, 2, 64, 80, 70, 1, 1},
            {2, 3, 12, 5, 5, 0, 1},
            {4, 2, 8, 150, 131, 1, 0},
            {1, 4, 16, 1, 1, 1, 1},
            {5, 1, 64, 64, 64, 0, 0},
            {2, 2, 64, 300, 290, 1, 1}, // over two chunks of the wide OpenCL kernel (256 positions)
            {1, 3, 48, 270, 261, 1, 0}, // d_kv not dividing the wide kernel's work-group
    };

    private record Inputs(Tensor query, Tensor keys, Tensor values, int length, Tensor bias, Tensor mask, int heads) {
        Inputs to(Backend be) {
            return new Inputs(query.to(be), keys.to(be), values.to(be), length, bias == null ? null : bias.to(be),
                    mask == null ? null : mask.to(be), heads);
        }
    }

    private static Inputs inputs(int[] c, long seed) {
        Random rng = new Random(seed);
        int rows = c[0], heads = c[1], dKv = c[2], positions = c[3], length = c[4];
        int inner = heads * dKv;
        Tensor q = Tensor.randn(rng, 0.3f, rows, 1, inner);
        Tensor k = Tensor.randn(rng, 1f, rows, positions, inner);
        Tensor v = Tensor.randn(rng, 1f, rows, positions, inner);
        Tensor bias = c[5] == 1 ? Tensor.randn(rng, 1f, 1, heads, 1, length) : null;
        Tensor mask = null;
        if (c[6] == 1) {
            float[] m = new float[rows * length];
            for (int r = 0; r < rows; r++) {
                int valid = Math.max(1, length - 3 * r); // row 0 sees everything, later rows lose longer tails
                for (int p = valid; p < length; p++) m[r * length + p] = -Float.MAX_VALUE;
            }
            mask = Tensor.of(m, rows, 1, 1, length);
        }
        return new Inputs(q, k, v, length, bias, mask, heads);
    }

    /** The composed ops of the old device decode, on the host. */
    private static float[] composed(Inputs in) {
        int rows = in.query.dim(0), inner = in.query.dim(2), heads = in.heads, dKv = inner / heads;
        Tensor q = Ops.transpose(Ops.reshape(in.query, rows, 1, heads, dKv), 1, 2);
        Tensor k = Ops.transpose(Ops.reshape(Ops.slice(in.keys, 1, 0, in.length), rows, in.length, heads, dKv), 1, 2);
        Tensor v = Ops.transpose(Ops.reshape(Ops.slice(in.values, 1, 0, in.length), rows, in.length, heads, dKv), 1, 2);
        Tensor add = in.bias == null ? in.mask : in.mask == null ? in.bias : Ops.add(in.bias, in.mask);
        Tensor weights = Ops.softmax(Ops.matmul(q, k, false, true), add);
        Tensor context = Ops.matmul(weights, v);
        return Ops.reshape(Ops.transpose(context, 1, 2), rows, 1, inner).toArray();
    }

    private static void check(String what, float[] expected, Tensor actual) {
        float[] got = actual.toArray();
        assertTrue(expected.length == got.length, what + ": " + got.length + " values, expected " + expected.length);
        double scale = 1, err = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < got.length; i++) {
            assertTrue(!Float.isNaN(got[i]), what + ": NaN at " + i + " (output left unwritten?)");
            err = Math.max(err, Math.abs(expected[i] - got[i]));
        }
        assertTrue(err <= TOL * scale, what + ": max error " + err + " (scale " + scale + ")");
    }

    private static void runCases(String where, Backend be) {
        try (var _ = Autograd.noGrad()) {
            for (int i = 0; i < CASES.length; i++) {
                int[] c = CASES[i];
                Inputs host = inputs(c, 100 + i);
                Inputs in = be == null ? host : host.to(be);
                Tensor out = Ops.decodeAttention(in.query, in.keys, in.values, in.length, in.bias, in.mask, in.heads);
                assertTrue(be == null ? !out.isOnDevice() : out.isOnDevice(), where + ": result on the inputs' side");
                check(where + " case " + java.util.Arrays.toString(c), composed(host), out);
            }
            System.out.printf("decodeAttention on %s: %d cases match the composed ops%n", where, CASES.length);
        }
    }

    @Test
    void hostMatchesComposedOps() {
        runCases("host", null);
    }

    @Test
    void cpuBackendAsDeviceMatchesComposedOps() {
        runCases("cpu backend", CpuBackend.INSTANCE);
    }

    @Test
    @Tag("opencl")
    void openClMatchesComposedOps() {
        runCases("opencl", OpenClAvailable.backend());
    }

    @Test
    void hostMaskAndBiasAreUploadedForDeviceInputs() {
        Backend be = CpuBackend.INSTANCE;
        try (var _ = Autograd.noGrad()) {
            Inputs host = inputs(CASES[0], 7);
            Inputs dev = host.to(be);
            Tensor out = Ops.decodeAttention(dev.query, dev.keys, dev.values, host.length, host.bias, host.mask, host.heads);
            check("host bias and mask with device q/k/v", composed(host), out);
        }
    }

    @Test
    void badInputsNameWhatIsWrong() {
        Inputs in = inputs(CASES[0], 1);
        try (var _ = Autograd.noGrad()) {
            assertMessage("query must be", () -> Ops.decodeAttention(Ops.reshape(in.query, 3, 128), in.keys, in.values, 70, null, null, 2));
            assertMessage("not a multiple of heads", () -> Ops.decodeAttention(in.query, in.keys, in.values, 70, null, null, 3));
            assertMessage("keys must be", () -> Ops.decodeAttention(in.query, Ops.slice(in.keys, 0, 0, 2), in.values, 70, null, null, 2));
            assertMessage("values", () -> Ops.decodeAttention(in.query, in.keys, Ops.slice(in.values, 1, 0, 70), 70, null, null, 2));
            assertMessage("length 81 outside 1..80", () -> Ops.decodeAttention(in.query, in.keys, in.values, 81, null, null, 2));
            assertMessage("length 0", () -> Ops.decodeAttention(in.query, in.keys, in.values, 0, null, null, 2));
            assertMessage("headBias must be", () -> Ops.decodeAttention(in.query, in.keys, in.values, 71, in.bias, null, 2));
            assertMessage("mask must be", () -> Ops.decodeAttention(in.query, in.keys, in.values, 70, null,
                    Ops.reshape(in.mask, 3, 70), 2));
            Tensor strided = Ops.transpose(Tensor.randn(new Random(3), 1f, 3, 128, 80), 1, 2); // [3, 80, 128], last stride 80
            assertMessage("contiguous heads", () -> Ops.decodeAttention(in.query, strided, strided, 70, null, null, 2));
        }
        Tensor q = in.query.detach().requiresGrad(true);
        assertThrows(IllegalStateException.class, () -> Ops.decodeAttention(q, in.keys, in.values, 70, null, null, 2),
                "a query that needs a gradient outside noGrad");
    }

    private static void assertMessage(String fragment, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '" + fragment + "'");
    }
}
