package dev.resumo.train.parity;

import dev.resumo.train.batch.BatchPlan;
import dev.resumo.train.batch.TokenBatch;
import dev.resumo.train.batch.TokenizedExample;
import java.util.ArrayList;
import java.util.List;

/**
 * Examples in their given order, the same every epoch: what torch's SequentialSampler gives
 * transformers' Trainer, so both trainers read the same batches.
 */
final class SequentialBatches implements BatchPlan {
    private final List<TokenizedExample> examples;
    private final int batchSize;

    SequentialBatches(List<TokenizedExample> examples, int batchSize) {
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
    }

    @Override
    public int batchesPerEpoch() {
        return (examples.size() + batchSize - 1) / batchSize;
    }

    @Override
    public List<int[]> plan(int epoch) {
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < examples.size(); start += batchSize) {
            int[] b = new int[Math.min(batchSize, examples.size() - start)];
            for (int k = 0; k < b.length; k++) b[k] = start + k;
            out.add(b);
        }
        return out;
    }

    @Override
    public TokenBatch batch(int[] indices) {
        List<TokenizedExample> chosen = new ArrayList<>();
        for (int i : indices) chosen.add(examples.get(i));
        return TokenBatch.of(chosen);
    }
}
