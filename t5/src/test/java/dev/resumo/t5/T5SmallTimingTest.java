package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.engine.Autograd;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.Generated;
import dev.resumo.t5.generate.Generator;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Wall-clock figures at the PTT5-small shape (random weights): teacher-forced forward+backward,
 * and greedy / beam generation. Prints; asserts only that the work was done. Slow: run with
 * {@code -Dresumo.test.excludedGroups= -Dtest=T5SmallTimingTest}.
 */
@Tag("slow")
class T5SmallTimingTest {
    @Test
    void timings() {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("vocab_size", 32128).put("d_model", 512).put("d_kv", 64).put("d_ff", 2048).put("num_layers", 6)
                .put("num_heads", 8).put("feed_forward_proj", "relu").put("dropout_rate", 0.1);
        T5Model model = T5Init.random(T5Config.fromJson(c), new Random(1));
        int src = 128;
        int tgt = 32;
        Random rng = new Random(2);
        int[] ids = new int[src];
        for (int i = 0; i < src - 1; i++) ids[i] = 3 + rng.nextInt(32000);
        ids[src - 1] = 1;
        int[] mask = new int[src];
        Arrays.fill(mask, 1);
        int[] labels = new int[tgt];
        for (int i = 0; i < tgt; i++) labels[i] = 3 + rng.nextInt(32000);

        Seq2SeqBatch batch = new Seq2SeqBatch(1, src, ids, mask, tgt, labels);
        for (var p : model.parameters().values()) p.requiresGrad(true);
        long t0 = System.nanoTime();
        var out = model.forward(batch, new Dropout(0.1f, new Random(3)));
        long t1 = System.nanoTime();
        out.loss().backward();
        long t2 = System.nanoTime();
        System.out.printf("t5-small shape, 1×%d → %d: forward %.2f s, backward %.2f s, loss %.3f%n",
                src, tgt, (t1 - t0) / 1e9, (t2 - t1) / 1e9, out.loss().item());

        try (var _ = Autograd.noGrad()) {
            long g0 = System.nanoTime();
            Generated greedy = Generator.generate(model, ids, mask, 1, src, GenerationConfig.greedy(tgt).withMinNewTokens(tgt));
            long g1 = System.nanoTime();
            Generated beam = Generator.generate(model, ids, mask, 1, src, GenerationConfig.beam(4, tgt).withMinNewTokens(tgt));
            long g2 = System.nanoTime();
            System.out.printf("greedy %d tokens: %.2f s (%.1f tokens/s); beam 4 × %d tokens: %.2f s%n",
                    tgt, (g1 - g0) / 1e9, tgt / ((g1 - g0) / 1e9), tgt, (g2 - g1) / 1e9);
            assertEquals(tgt + 1, greedy.sequences().get(0).length);
            assertEquals(tgt + 1, beam.sequences().get(0).length);
        }
    }
}
