package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.rng.Xoshiro256Random;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The training loss that writes the logits' gradient over the logits: the same loss and the same
 * gradients, bit for bit, as the plain cross-entropy (the same kernel, reading each element before
 * writing it), one array of the logits' size fewer, and the logits array holding the gradient
 * afterwards (what shows the reuse: with a fresh gradient array the logits would be unchanged).
 */
class CrossEntropyConsumingLogitsTest {
    private static final int ROWS = 48, D = 32, V = 200;

    private record Run(float loss, float[] gradH, float[] gradW, float[] logitsAfter, long requests) {}

    /** In a poisoning StepBuffers scope ({@code pooled}; the logits' array is poisoned once given back) or without one. */
    private static Run run(boolean consuming, float smoothing, boolean pooled) {
        Random r = new Xoshiro256Random(3);
        Tensor h = Tensor.randn(r, 1f, ROWS, D).requiresGrad(true);
        Tensor w = Tensor.randn(r, 0.3f, V, D).requiresGrad(true);
        int[] labels = new int[ROWS];
        for (int i = 0; i < ROWS; i++) labels[i] = i % 7 == 3 ? -100 : r.nextInt(V);
        StepBuffers pool = new StepBuffers(true);
        try (var _ = pooled ? pool.open() : null) {
            Tensor logits = Ops.matmul(h, w, false, true);
            Tensor loss = consuming ? Ops.crossEntropyConsumingLogits(logits, labels, -100, smoothing)
                    : Ops.crossEntropy(logits, labels, -100, smoothing);
            float value = loss.item();
            Ops.scale(loss, 0.5f).backward(); // a weighted micro-batch: the gradient is scaled too
            return new Run(value, h.grad().toArray(), w.grad().toArray(), logits.toArray(), pool.requests());
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, 0.1f})
    void sameBitsOneArrayLess(float smoothing) {
        Run plain = run(false, smoothing, true), consuming = run(true, smoothing, true);
        assertEquals(plain.loss(), consuming.loss());
        assertArrayEquals(plain.gradH(), consuming.gradH());
        assertArrayEquals(plain.gradW(), consuming.gradW());
        assertEquals(plain.requests() - 1, consuming.requests(), "the gradient took no array of its own");
        // The logits' array now holds their gradient: p - onehot scaled by 0.5 / counted rows, zero on ignored rows.
        float[] after = run(true, smoothing, false).logitsAfter();
        for (int row = 3; row < ROWS; row += 7) {
            for (int c = 0; c < V; c++) assertEquals(0f, after[row * V + c], "ignored row " + row);
        }
        double rowSum = 0;
        for (int c = 0; c < V; c++) rowSum += after[c];
        assertTrue(Math.abs(rowSum) < 1e-6, "a gradient row of softmax cross-entropy sums to 0, got " + rowSum);
    }
}
