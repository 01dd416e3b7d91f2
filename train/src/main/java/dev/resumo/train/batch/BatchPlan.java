package dev.resumo.train.batch;

import java.util.List;

/**
 * The order the Trainer reads training examples in: for each epoch, batches of example indices.
 * A plan must depend only on the epoch, so a data position is (epoch, batch index) and a resumed
 * run reads exactly the batches an uninterrupted one would.
 */
public interface BatchPlan {
    /** Batches in every epoch's plan. */
    int batchesPerEpoch();

    /** The batches of an epoch, as example indices (the last batch may be smaller). */
    List<int[]> plan(int epoch);

    /** The padded batch of those examples. */
    TokenBatch batch(int[] indices);
}
