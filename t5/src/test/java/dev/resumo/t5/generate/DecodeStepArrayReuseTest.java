package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.StepBuffers;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.TinyModels;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each decoding step takes its arrays from a pool the previous step's went back to
 * (DecodeStepBuffers). These checks generate with that reuse — through a pool that fills every
 * recycled array with NaN, so a tensor read after its step or a kernel reading an element it did
 * not write shows up — and without it, and want the same tokens and scores; and they check that
 * the steps did take recycled arrays.
 */
class DecodeStepArrayReuseTest {
    private static final int LENGTH = 24, NEW = 10;

    @AfterEach
    void restore() {
        DecodeStepBuffers.pools = StepBuffers::new;
    }

    private static Generated generate(T5Model m, int batch, GenerationConfig g) {
        Random r = new Random(3);
        int[] ids = new int[batch * LENGTH], mask = new int[batch * LENGTH];
        for (int i = 0; i < ids.length; i++) {
            boolean padded = i / LENGTH % 2 == 1 && i % LENGTH >= LENGTH - 5; // odd rows end in padding
            ids[i] = padded ? 0 : 2 + r.nextInt(590);
            mask[i] = padded ? 0 : 1;
        }
        return Generator.generate(m, ids, mask, batch, LENGTH, g);
    }

    private static void sameWithAndWithoutReuse(T5Model m, int batch, GenerationConfig g, String what) {
        DecodeStepBuffers.pools = () -> null;
        Generated fresh = generate(m, batch, g);
        StepBuffers[] pool = new StepBuffers[1];
        DecodeStepBuffers.pools = () -> pool[0] = new StepBuffers(true);
        Generated reused = generate(m, batch, g);
        assertTrue(pool[0].reused() > 0, what + ": the steps took no recycled array (" + pool[0].requests() + " requests)");
        assertEquals(fresh.sequences().size(), reused.sequences().size(), what);
        for (int i = 0; i < fresh.sequences().size(); i++) {
            assertArrayEquals(fresh.sequences().get(i), reused.sequences().get(i), what + ", sequence " + i);
        }
        assertArrayEquals(fresh.sequenceScores(), reused.sequenceScores(), what + ": scores");
    }

    @Test
    void greedyStepsReuseArraysWithTheSameTokens() {
        T5Model m = TinyModels.wide(21);
        GenerationConfig g = GenerationConfig.greedy(NEW).withMinNewTokens(NEW);
        sameWithAndWithoutReuse(m, 8, g, "greedy, 8 rows (panel products, screened lm_head)");
        sameWithAndWithoutReuse(m, 8, g.withRepetitionPenalty(1.3f).withNoRepeatNgramSize(2), "greedy with penalties");
        sameWithAndWithoutReuse(m, 12, g, "greedy, 12 rows");
    }

    @Test
    void samplingAndBeamStepsReuseArraysWithTheSameResults() {
        T5Model m = TinyModels.wide(22);
        sameWithAndWithoutReuse(m, 8, GenerationConfig.greedy(NEW).withMinNewTokens(NEW).withSampling(0.9f, 40, 0.95f, 7),
                "sampling (full logits every step)");
        sameWithAndWithoutReuse(m, 2, GenerationConfig.beam(4, NEW), "beam search, 4 beams × 2 inputs");
    }
}
