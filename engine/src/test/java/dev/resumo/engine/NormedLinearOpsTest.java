package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.CpuBackend;
import dev.resumo.engine.opencl.OpenClAvailable;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Ops#rmsNormLinear}, {@link Ops#rmsNormLinearRelu} and {@link Ops#addLinear} on device
 * tensors with nothing recorded (the fused backend calls a device decode step makes) against the
 * ops they stand for, which is what -Dresumo.fuse=false runs: the same bits, on the CPU backend
 * used as a device (its composed defaults) and on OpenCL (the GEMM prologue / epilogue for ≤ 8
 * rows, the norm launch then the GEMM for more). Decode-step shapes [rows, 1, D], rows 1 to 8 and
 * beyond the skinny kernel's 8; d not a multiple of the norm's 64-item shares.
 */
class NormedLinearOpsTest {
    private static final float EPS = 1e-6f, OUT_SCALE = (float) Math.pow(512, -0.5);

    private static void matchesTheComposedOps(String where, Backend be) {
        Random rng = new Random(11);
        int checked = 0;
        for (int rows : new int[] {1, 3, 8, 9, 20}) {
            for (int d : new int[] {64, 100}) {
                int n = 72;
                Tensor x = Tensor.randn(rng, 3f, rows, 1, d).to(be), norm = Tensor.randn(rng, 1f, d).to(be);
                Tensor w = Tensor.randn(rng, 1f, n, d).to(be), wo = Tensor.randn(rng, 1f, d, n).to(be);
                Tensor h = Tensor.randn(rng, 1f, rows, 1, n).to(be);
                try (var _ = Autograd.noGrad()) {
                    String what = where + " " + rows + "x" + d;
                    Tensor normed = Ops.rmsNorm(x, norm, EPS);
                    same(what + " rmsNormLinear", Ops.matmul(normed, w, false, true), Ops.rmsNormLinear(x, norm, EPS, 1f, w));
                    same(what + " rmsNormLinear scaled", Ops.matmul(Ops.scale(normed, OUT_SCALE), w, false, true),
                            Ops.rmsNormLinear(x, norm, EPS, OUT_SCALE, w));
                    same(what + " rmsNormLinearRelu", Ops.relu(Ops.matmul(normed, w, false, true)),
                            Ops.rmsNormLinearRelu(x, norm, EPS, w));
                    same(what + " addLinear", Ops.add(x, Ops.matmul(h, wo, false, true)), Ops.addLinear(x, h, wo));
                    checked += 4;
                }
            }
        }
        System.out.printf("normed / residual linears on %s: %d cases bit-identical to the composed ops%n", where, checked);
    }

    private static void same(String what, Tensor expected, Tensor actual) {
        assertTrue(actual.isOnDevice(), what + ": stays on the device");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        // The fused call makes the composed ops' floats in their order (see Backend#rmsNormLinear
        // and the kernels' comments): exact.
        assertArrayEquals(expected.toArray(), actual.toArray(), 0f, what);
    }

    @Test
    void cpuBackendMatchesTheComposedOps() {
        matchesTheComposedOps("cpu backend", CpuBackend.INSTANCE);
    }

    @Test
    @Tag("opencl")
    void openClMatchesTheComposedOps() {
        matchesTheComposedOps("opencl", OpenClAvailable.backend());
    }

    /** A decode step's norm + product and product + add are one launch each on OpenCL for ≤ 8 rows. */
    @Test
    @Tag("opencl")
    void openClRunsEachInOneLaunchForADecodeStep() {
        Backend be = OpenClAvailable.backend();
        Random rng = new Random(5);
        Tensor x = Tensor.randn(rng, 1f, 8, 1, 64).to(be), norm = Tensor.randn(rng, 1f, 64).to(be);
        Tensor w = Tensor.randn(rng, 1f, 48, 64).to(be), wo = Tensor.randn(rng, 1f, 64, 48).to(be);
        try (var _ = Autograd.noGrad()) {
            long before = be.kernelLaunches();
            Tensor hidden = Ops.rmsNormLinearRelu(x, norm, EPS, w);
            assertEquals(1, be.kernelLaunches() - before, "norm + product + relu");
            before = be.kernelLaunches();
            Ops.addLinear(x, hidden, wo);
            assertEquals(1, be.kernelLaunches() - before, "product + residual add");
        }
    }
}
