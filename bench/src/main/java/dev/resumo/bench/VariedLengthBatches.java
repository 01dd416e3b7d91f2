package dev.resumo.bench;

import dev.resumo.train.batch.LengthGroupedBatches;
import dev.resumo.train.batch.TokenBatch;
import dev.resumo.train.batch.TokenizedExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Training batches shaped like a real summarization corpus's, for `bench train --varied-lengths`:
 * each example's source and target lengths are drawn at random, about a third of them cut at the
 * maximum (long news articles truncated to --source-length), and the Trainer's own length-grouped
 * plan makes the batches, each padded to its longest rows. So nearly every step has a new (source,
 * target) shape, as in `resumo train` — unlike the fixed full-length batches `bench compare`
 * times, where every step reuses the last step's arrays.
 */
final class VariedLengthBatches {
    private VariedLengthBatches() {}

    /** {@code count} batches in the order the Trainer's plan gives them (epochs repeat as needed). */
    static List<TokenBatch> make(int batchSize, int maxSource, int maxTarget, int count, int vocab, Random rng) {
        int top = Math.min(vocab, 32000);
        // 50 batches' worth of examples: one length-grouping "megabatch" of the Trainer's plan
        List<TokenizedExample> examples = new ArrayList<>();
        for (int i = 0; i < batchSize * 50; i++) {
            int source = Math.min(maxSource, 2 + rng.nextInt(Math.max(1, maxSource * 3 / 2)));
            int target = Math.min(maxTarget, 1 + rng.nextInt(Math.max(1, maxTarget * 5 / 4)));
            examples.add(new TokenizedExample("varied-" + i, ids(source, top, rng), ids(target, top, rng)));
        }
        LengthGroupedBatches plan = new LengthGroupedBatches(examples, batchSize, 7);
        List<TokenBatch> batches = new ArrayList<>();
        for (int epoch = 0; batches.size() < count; epoch++) {
            for (int[] indices : plan.plan(epoch)) {
                if (batches.size() == count) break;
                batches.add(plan.batch(indices));
            }
        }
        return batches;
    }

    /** n random ids (3..top-1) ending with </s> (1). */
    private static int[] ids(int n, int top, Random rng) {
        int[] ids = new int[n];
        for (int i = 0; i < n - 1; i++) ids[i] = 3 + rng.nextInt(top - 3);
        ids[n - 1] = 1;
        return ids;
    }
}
