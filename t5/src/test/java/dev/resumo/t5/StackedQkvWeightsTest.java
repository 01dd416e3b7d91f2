package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.CpuBackend;
import dev.resumo.engine.backend.DeviceBuffer;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stacked q|k|v weights a device encoder pass (and a device decode) projects with
 * ({@link T5Attention#stackedQkv}): kept across passes, remade after a weight changes in place the
 * way an optimizer step or a restore changes it (values written, {@link Tensor#markModified}), so a
 * pass after the change computes with the new weights, as the host model does.
 *
 * <p>Encoder outputs are compared to the host's to 2e-5 absolute (DeviceDecodingTest's logit
 * tolerance: float32 on both sides, the device's GEMMs sum in another order; values here are ~1).
 * A stale stacked weight would be off by the change itself (~0.5 per weight element).
 */
class StackedQkvWeightsTest {
    private static final int[] IDS = {5, 6, 7, 8, 1, 9, 10, 1, 0, 0};
    private static final int[] MASK = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    private static final String K = "encoder.block.0.layer.0.SelfAttention.k.weight";

    private static void followsInPlaceChanges(String where, Backend be) {
        T5Model host = TinyModels.relu(5);
        T5Model device = DeviceModels.onDevice(host, be);
        T5Attention attention = device.decoder().blocks.get(0).selfAttention;
        try (var _ = Autograd.noGrad()) {
            assertClose(where + ", first pass", host.encode(IDS, MASK, 2, 5, Dropout.OFF), device.encode(IDS, MASK, 2, 5, Dropout.OFF));
            Tensor first = attention.stackedQkv();
            assertSame(first, attention.stackedQkv(), where + ": the stacked weights are kept while nothing changes");

            Tensor hostK = host.parameters().get(K), deviceK = device.parameters().get(K);
            float[] changed = Tensor.randn(new Random(9), 0.5f, hostK.shape()).toArray();
            System.arraycopy(changed, 0, hostK.data(), hostK.offset(), changed.length);
            hostK.markModified();
            try (DeviceBuffer staged = be.upload(changed)) { // Parameter.set's in-place write
                be.scale(staged, 0, 1f, deviceK.deviceBuffer(), changed.length);
            }
            deviceK.markModified();
            assertClose(where + ", after k changed in place", host.encode(IDS, MASK, 2, 5, Dropout.OFF),
                    device.encode(IDS, MASK, 2, 5, Dropout.OFF));

            Tensor decoderQ = device.parameters().get("decoder.block.0.layer.0.SelfAttention.q.weight");
            decoderQ.markModified();
            assertNotSame(first, attention.stackedQkv(), where + ": a decoder weight's new version remakes its stack");
        }
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertTrue(actual.isOnDevice(), what + ": the encoder ran on the device");
        float worst = Golden.maxAbsDiff(actual.toArray(), expected.toArray());
        assertTrue(worst <= 2e-5f, what + ": device vs host encoder output max abs diff " + worst);
    }

    @Test
    void cpuBackendFollowsInPlaceChanges() {
        followsInPlaceChanges("cpu backend", CpuBackend.INSTANCE);
    }

    @Test
    @Tag("opencl")
    void openClFollowsInPlaceChanges() {
        followsInPlaceChanges("opencl", OpenClTestDevice.backendOrSkip());
    }
}
