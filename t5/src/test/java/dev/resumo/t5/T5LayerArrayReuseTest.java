package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.StepBuffers;
import dev.resumo.engine.Tensor;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A forward without autograd lets each block reuse the previous block's arrays (T5Stack). These
 * checks run the encoder and the teacher-forced decoder with that reuse — through a pool that fills
 * every recycled array with NaN, so a kernel reading an element it did not write shows up — and
 * without it, and want the same bits; and they check the reuse happened.
 */
class T5LayerArrayReuseTest {
    private static final int BATCH = 2, SOURCE = 40, TARGET = 24;

    @AfterEach
    void restore() {
        T5Stack.layerBuffers = StepBuffers::new;
    }

    /** Large enough that every block's activations are pooled (StepBuffers skips arrays under 4096 floats). */
    private static T5Model model() {
        return T5Init.random(T5Config.fromJson(T5ConfigTest.tiny().put("d_model", 64).put("d_kv", 16)
                .put("d_ff", 256).put("num_layers", 3)), new Random(11));
    }

    private static int[] tokens(int n, long seed) {
        Random r = new Random(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = 2 + r.nextInt(98);
        return ids;
    }

    private record Run(float[] encoder, float[] decoder) {}

    private static Run run(T5Model m, long seed) {
        int[] ids = tokens(BATCH * SOURCE, seed), mask = new int[BATCH * SOURCE];
        for (int i = 0; i < mask.length; i++) mask[i] = i % SOURCE < (i < SOURCE ? SOURCE : SOURCE - 9) ? 1 : 0;
        try (var _ = Autograd.noGrad()) {
            Tensor enc = m.encode(ids, mask, BATCH, SOURCE, Dropout.OFF);
            Tensor dec = m.decode(tokens(BATCH * TARGET, seed + 1), BATCH, TARGET, enc, mask, Dropout.OFF);
            return new Run(enc.contiguous().toArray(), dec.contiguous().toArray());
        }
    }

    @Test
    void reusingBlockArraysGivesTheSameBitsAsFreshArrays() {
        T5Model m = model();
        T5Stack.layerBuffers = () -> null;
        Run fresh = run(m, 1), freshOther = run(m, 2);
        StepBuffers[] last = new StepBuffers[1];
        T5Stack.layerBuffers = () -> last[0] = new StepBuffers(true);
        Run reused = run(m, 1);
        assertTrue(last[0].reused() > 0, "the blocks took no recycled array: " + last[0].requests() + " requests");
        Run reusedOther = run(m, 2);
        assertArrayEquals(fresh.encoder(), reused.encoder(), "encoder output");
        assertArrayEquals(fresh.decoder(), reused.decoder(), "decoder output");
        assertArrayEquals(freshOther.encoder(), reusedOther.encoder(), "encoder output, second input");
        assertArrayEquals(freshOther.decoder(), reusedOther.decoder(), "decoder output, second input");
    }

    /** Arrays a no-grad encoder pass allocates fresh (pool requests not served by a recycled array). */
    private static long freshArraysOfEncoder(int layers) {
        T5Model m = T5Init.random(T5Config.fromJson(T5ConfigTest.tiny().put("d_model", 64).put("d_kv", 16)
                .put("d_ff", 256).put("num_layers", layers)), new Random(11));
        StepBuffers[] last = new StepBuffers[1];
        T5Stack.layerBuffers = () -> last[0] = new StepBuffers(true);
        int[] ids = tokens(BATCH * SOURCE, 3), mask = new int[BATCH * SOURCE];
        java.util.Arrays.fill(mask, 1);
        try (var _ = Autograd.noGrad()) {
            m.encode(ids, mask, BATCH, SOURCE, Dropout.OFF);
        }
        return last[0].requests() - last[0].reused();
    }

    @Test
    void blocksPastTheSecondAllocateNothing() {
        // Each block's output (the stream's sum and its normed copy) escapes its scope; once the next
        // block has read it, it goes back to the pool, so the third block on reuses every array.
        // Without that, each further block allocated its two outputs anew (5 layers: 4 more than 3).
        long three = freshArraysOfEncoder(3), five = freshArraysOfEncoder(5);
        assertEquals(three, five, "fresh arrays of a 3-layer and a 5-layer encoder pass");
    }

    @Test
    void anEncoderOutputStaysValidAfterLaterForwards() {
        T5Model m = model();
        int[] ids = tokens(BATCH * SOURCE, 5), mask = new int[BATCH * SOURCE];
        java.util.Arrays.fill(mask, 1);
        try (var _ = Autograd.noGrad()) {
            Tensor first = m.encode(ids, mask, BATCH, SOURCE, Dropout.OFF);
            float[] before = first.contiguous().toArray();
            m.encode(tokens(BATCH * SOURCE, 6), mask, BATCH, SOURCE, Dropout.OFF);
            assertArrayEquals(before, first.contiguous().toArray());
        }
    }
}
