package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.opencl.OpenClAvailable;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Ops#attentionQkv} (self-attention from one q|k|v projection) against {@link Ops#attention}
 * over the three thirds: on an OpenCL device without a tape, the same bits (the same GEMMs and
 * softmax on the same values, the heads split by one copy instead of three) in two launches fewer,
 * and within float32 rounding of the host's; on the host and under a recording tape, the same
 * values and gradients as attention over the slices (it is that).
 */
class AttentionQkvTest {
    private static final int BATCH = 2, LENGTH = 37, HEADS = 3, D = 16, INNER = HEADS * D;

    private static Tensor third(Tensor qkv, int i) {
        return Ops.slice(qkv, 2, i * INNER, (i + 1) * INNER);
    }

    @Test
    @Tag("opencl")
    void openClSplitsTheHeadsWithOneCopyAndGivesTheSameBits() {
        Backend be = OpenClAvailable.backend();
        Random rng = new Random(3);
        Tensor qkv = Tensor.randn(rng, 1f, BATCH, LENGTH, 3 * INNER);
        Tensor bias = Tensor.randn(rng, 1f, 1, HEADS, LENGTH, LENGTH);
        try (var _ = Autograd.noGrad()) {
            Tensor dQkv = qkv.to(be), dBias = bias.to(be);
            Tensor q = third(dQkv, 0), k = third(dQkv, 1), v = third(dQkv, 2); // contiguous copies, before counting
            long before = be.kernelLaunches();
            Tensor unfused = Ops.attention(q, k, v, dBias, HEADS, 0f, null);
            long unfusedLaunches = be.kernelLaunches() - before;
            before = be.kernelLaunches();
            Tensor fused = Ops.attentionQkv(dQkv, dBias, HEADS, 0f, null);
            long fusedLaunches = be.kernelLaunches() - before;
            assertEquals(unfusedLaunches - 2, fusedLaunches, "one copy splits the heads of q, k and v, not three");
            assertTrue(fused.isOnDevice(), "the result stays on the device");
            assertArrayEquals(unfused.toArray(), fused.toArray(), 0f, "the same GEMMs and softmax on the same values: the same bits");
            // Against the host's fused attention: float32 both, products of 16 terms and softmax
            // sums of 37 in other orders; 1e-5 absolute on contexts of magnitude ~1.
            float[] host = Ops.attention(third(qkv, 0), third(qkv, 1), third(qkv, 2), bias, HEADS, 0f, null).toArray();
            float[] got = fused.toArray();
            double worst = 0;
            for (int i = 0; i < host.length; i++) worst = Math.max(worst, Math.abs(host[i] - got[i]));
            assertTrue(worst <= 1e-5, "device vs host max abs diff " + worst);
        }
    }

    @Test
    void underATapeItIsTheAttentionOverTheSlicesWithTheirGradients() {
        Random rng = new Random(4);
        Tensor bias = Tensor.randn(rng, 1f, 1, HEADS, LENGTH, LENGTH);
        float[] values = Tensor.randn(rng, 1f, BATCH, LENGTH, 3 * INNER).toArray();
        Tensor a = Tensor.of(values.clone(), BATCH, LENGTH, 3 * INNER).requiresGrad(true);
        Tensor b = Tensor.of(values.clone(), BATCH, LENGTH, 3 * INNER).requiresGrad(true);
        Tensor viaQkv = Ops.attentionQkv(a, bias, HEADS, 0f, null);
        Tensor viaSlices = Ops.attention(third(b, 0), third(b, 1), third(b, 2), bias, HEADS, 0f, null);
        assertArrayEquals(viaSlices.toArray(), viaQkv.toArray(), 0f, "values");
        Ops.sum(Ops.mul(viaQkv, viaQkv)).backward();
        Ops.sum(Ops.mul(viaSlices, viaSlices)).backward();
        assertArrayEquals(b.grad().toArray(), a.grad().toArray(), 0f, "gradients reach the projection");
    }

    @Test
    void badShapesNameWhatIsWrong() {
        Tensor notThree = Tensor.zeros(1, 2, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.attentionQkv(notThree, null, 1, 0f, null));
        assertTrue(e.getMessage().contains("qkv must be [B, S, 3·heads·d]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ops.attentionQkv(Tensor.zeros(1, 2, 12), null, 3, 0f, null));
        assertTrue(e.getMessage().contains("not a multiple of heads 3"), e.getMessage());
    }
}
