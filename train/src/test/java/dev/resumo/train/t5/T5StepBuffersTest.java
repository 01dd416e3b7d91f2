package dev.resumo.train.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.engine.StepBuffers;
import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import dev.resumo.train.EngineOptimizer;
import dev.resumo.train.Parameter;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.batch.TokenBatch;
import dev.resumo.train.batch.TokenizedExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Trainer's T5 step with recycled step buffers gives the same bits as with fresh arrays:
 * dropout on, two micro-batches per step, source lengths changing between steps (so some shapes
 * are recycled and some are not), Adafactor updates in between. The pool poisons recycled arrays
 * with NaN, so any kernel that reads an element it did not write shows up.
 */
class T5StepBuffersTest {
    private static T5Config config() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("vocab_size", 200);
        o.put("d_model", 64);
        o.put("d_kv", 16);
        o.put("d_ff", 128);
        o.put("num_layers", 2);
        o.put("num_heads", 4);
        o.put("relative_attention_num_buckets", 8);
        o.put("relative_attention_max_distance", 20);
        o.put("feed_forward_proj", "relu");
        o.put("dropout_rate", 0.1);
        return T5Config.fromJson(o);
    }

    private static TokenBatch batch(Random r, int sourceLength) {
        List<TokenizedExample> examples = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            int[] source = new int[sourceLength - e], target = new int[6 + e];
            for (int i = 0; i < source.length; i++) source[i] = 2 + r.nextInt(198);
            for (int i = 0; i < target.length; i++) target[i] = 2 + r.nextInt(198);
            source[source.length - 1] = 1;
            target[target.length - 1] = 1;
            examples.add(new TokenizedExample("e" + e, source, target));
        }
        return TokenBatch.of(examples);
    }

    /** Losses, final parameter values, and per step the pool's requests and reuses during it. */
    private record Outcome(List<Float> losses, List<float[]> values, List<long[]> poolCounts) {}

    private static Outcome train(StepBuffers buffers) {
        return train(buffers, 40, 40, 48, 40);
    }

    /** One step per source length, two micro-batches each. */
    private static Outcome train(StepBuffers buffers, int... lengths) {
        return train(buffers, false, lengths);
    }

    private static Outcome train(StepBuffers buffers, boolean gradientCheckpointing, int... lengths) {
        dev.resumo.t5.T5Model t5 = T5Init.random(config(), new Xoshiro256Random(5));
        t5.gradientCheckpointing(gradientCheckpointing);
        T5TrainableModel model = new T5TrainableModel(t5, buffers);
        EngineOptimizer opt = EngineOptimizer.create(TrainConfig.defaults(), model.parameters());
        Random data = new Xoshiro256Random(9), dropout = new Xoshiro256Random(13);
        List<Float> losses = new ArrayList<>();
        List<long[]> poolCounts = new ArrayList<>();
        for (int step = 0; step < lengths.length; step++) {
            for (Parameter p : model.parameters()) p.zeroGrad();
            long[] before = model.stepBufferRequestsAndReuses();
            for (int micro = 0; micro < 2; micro++) {
                losses.add(model.accumulateGradients(batch(data, lengths[step]), dropout, 0.5f));
            }
            long[] after = model.stepBufferRequestsAndReuses();
            poolCounts.add(new long[] {after[0] - before[0], after[1] - before[1]});
            opt.step(model.parameters(), 1e-3);
        }
        List<float[]> values = new ArrayList<>();
        for (Parameter p : model.parameters()) values.add(p.values().clone());
        return new Outcome(losses, values, poolCounts);
    }

    private static void assertSameBits(Outcome plain, Outcome pooled) {
        assertEquals(plain.losses(), pooled.losses(), "losses of every micro-batch");
        for (float l : pooled.losses()) assertTrue(Float.isFinite(l), "finite loss");
        assertEquals(plain.values().size(), pooled.values().size());
        for (int i = 0; i < plain.values().size(); i++) {
            assertArrayEquals(plain.values().get(i), pooled.values().get(i), "parameter " + i + " after the steps");
        }
    }

    @Test
    void recycledBuffersChangeNoBitOfTraining() {
        Outcome plain = train(null);
        StepBuffers pool = new StepBuffers(true);
        Outcome pooled = train(pool);
        assertSameBits(plain, pooled);
        assertTrue(pool.reused() > 0, "the pool recycled arrays");
        System.out.println("T5 step buffers: " + pool.requests() + " arrays requested over 8 micro-batches, "
                + pool.reused() + " recycled; parameters identical to fresh arrays");
    }

    /**
     * Gradient checkpointing gives the arrays of each block's first, unrecorded forward back to the
     * pool as soon as the block is done (its outputs kept), and the recomputation's arrays go back
     * as its reverse pass consumes them. Poisoned on the way back, none may still be read: the
     * training must be the bits of the same checkpointed run on fresh arrays, and it must hold
     * fewer arrays than the plain pooled run.
     */
    @Test
    void checkpointedStepsOnRecycledBuffersChangeNoBit() {
        int[] lengths = {40, 48, 40};
        Outcome fresh = train(null, true, lengths);
        StepBuffers pool = new StepBuffers(true);
        Outcome pooled = train(pool, true, lengths);
        assertSameBits(fresh, pooled);
        assertTrue(pool.releasedEarly() > 0, "arrays went back during the steps");
        StepBuffers plainPool = new StepBuffers(true);
        train(plainPool, false, lengths);
        assertTrue(pool.pooledBytes() < plainPool.pooledBytes(), "checkpointed steps keep " + pool.pooledBytes()
                + " bytes of arrays, plain ones " + plainPool.pooledBytes());
    }

    /**
     * Real data pads each batch to its own longest row, so consecutive steps rarely share a shape.
     * A step of 40 source tokens after one of 48 asks for shorter arrays than the longer step left
     * (activations, attention probabilities, position biases, dropout masks), and the pool serves
     * every request from them — pooled by exact length it served only the decoder's, whose shapes
     * did not change (164 of 226). The recycled arrays are poisoned with NaN past what the shorter
     * step writes: the training must still be the bits of fresh arrays.
     */
    @Test
    void aShorterBatchReusesTheLongerBatchsArrays() {
        int[] lengths = {48, 40, 48};
        Outcome plain = train(null, lengths);
        StepBuffers pool = new StepBuffers(true);
        Outcome pooled = train(pool, lengths);
        assertSameBits(plain, pooled);
        long[] shorter = pooled.poolCounts().get(1);
        System.out.println("T5 step buffers, source 48 → 40 → 48: requests/reused per step "
                + pooled.poolCounts().stream().map(c -> c[0] + "/" + c[1]).toList());
        assertTrue(shorter[0] > 0);
        assertEquals(shorter[0], shorter[1], "every array of the shorter step came from the longer one's");
    }
}
