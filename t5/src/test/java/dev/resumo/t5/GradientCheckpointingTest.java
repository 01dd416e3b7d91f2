package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * T5 with gradient checkpointing (each block recomputed in the reverse pass) against the plain
 * pass, dropout on: the loss must be the same bits (the recomputation replays the dropout draws,
 * and the run's generator ends where the plain pass leaves it), and every gradient must agree
 * within 1e-6 of its largest element. Not bits for all: the encoder output is read by every decoder
 * block, and its gradient sums the blocks' contributions in another order when each block is
 * back-propagated on its own, so everything below it differs by a few ulp (measured ≤ 2.9e-7 of
 * the largest element, both variants, the shared embedding included). The decoder's own weights,
 * which only exact gradients reach, come out bit for bit and are compared so.
 */
class GradientCheckpointingTest {
    private static final Seq2SeqBatch BATCH = new Seq2SeqBatch(2, 6, new int[] {5, 6, 7, 8, 9, 1, 10, 11, 12, 1, 0, 0},
            new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 4, new int[] {13, 14, 15, 1, 16, 17, 1, -100});

    @ParameterizedTest
    @ValueSource(strings = {"relu", "gatedUntied"})
    void sameLossAndGradientsAsThePlainPass(String variant) {
        LongFunction<T5Model> make = "relu".equals(variant) ? TinyModels::relu : TinyModels::gatedUntied;
        T5Model plain = make.apply(31);
        T5Model checkpointed = make.apply(31);
        checkpointed.gradientCheckpointing(true);
        assertTrue(checkpointed.gradientCheckpointing());
        Random plainRng = new Random(8), checkpointedRng = new Random(8);
        Map<String, float[]> expected = gradients(plain, new Dropout(0.2f, plainRng));
        float expectedLoss = lastLoss;
        Map<String, float[]> actual = gradients(checkpointed, new Dropout(0.2f, checkpointedRng));
        assertEquals(expectedLoss, lastLoss, "the forward is the same bits");
        assertEquals(plainRng.nextLong(), checkpointedRng.nextLong(), "the run's generator advanced alike");
        for (var e : expected.entrySet()) {
            if (e.getKey().startsWith("decoder.")) {
                assertArrayEquals(e.getValue(), actual.get(e.getKey()), e.getKey() + ": only exact gradients reach it, the same bits");
            } else {
                assertClose(e.getKey(), e.getValue(), actual.get(e.getKey()));
            }
        }
    }

    /**
     * The same on the OpenCL device (PoCL in CI): the first pass's intermediates are device buffers
     * that go back to the backend's pool when dropped, the recomputation runs the device kernels
     * again. Every gradient within the same 1e-6 of its largest element (the device's own
     * accumulation order makes no tensor's bits a promise here); the loss the same bits.
     */
    @Test
    @Tag("opencl")
    void onTheDeviceToo() {
        dev.resumo.engine.opencl.OpenClBackend be = OpenClTestDevice.backendOrSkip();
        T5Model plain = DeviceModels.onDevice(TinyModels.relu(33), be);
        T5Model checkpointed = DeviceModels.onDevice(TinyModels.relu(33), be);
        checkpointed.gradientCheckpointing(true);
        Map<String, float[]> expected = gradients(plain, new Dropout(0.2f, new Random(9)));
        float expectedLoss = lastLoss;
        Map<String, float[]> actual = gradients(checkpointed, new Dropout(0.2f, new Random(9)));
        assertEquals(expectedLoss, lastLoss, "the forward is the same bits");
        for (var e : expected.entrySet()) assertClose(e.getKey(), e.getValue(), actual.get(e.getKey()));
    }

    private static void assertClose(String name, float[] expected, float[] actual) {
        assertNotNull(actual, name);
        double largest = 0, worst = 0;
        for (float v : expected) largest = Math.max(largest, Math.abs(v));
        for (int i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        assertTrue(largest > 0 && worst <= 1e-6 * largest, name + ": off by " + worst + " of " + largest);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void evaluationIsUnaffected(boolean on) {
        T5Model model = TinyModels.relu(32);
        model.gradientCheckpointing(on);
        try (var _ = Autograd.noGrad()) {
            Tensor loss = model.forward(BATCH, Dropout.OFF).loss();
            assertFalse(loss.requiresGrad());
            T5Model reference = TinyModels.relu(32);
            assertEquals(reference.forward(BATCH, Dropout.OFF).loss().item(), loss.item());
        }
    }

    private float lastLoss;

    private Map<String, float[]> gradients(T5Model model, Dropout dropout) {
        for (Tensor p : model.parameters().values()) p.requiresGrad(true);
        Tensor loss = model.forward(BATCH, dropout).loss();
        lastLoss = loss.item();
        loss.backward();
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : model.parameters().entrySet()) out.put(e.getKey(), e.getValue().grad().toArray());
        return out;
    }
}
