package dev.resumo.train.batch;

import dev.resumo.engine.rng.Xoshiro256Random;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order of training batches in each epoch: a seeded shuffle, then examples of similar source
 * length grouped into the same batch (less padding), then the batches shuffled. The plan of epoch e
 * depends only on (seed, e), so a data position is just (epoch, batch index) and a resumed run
 * sees exactly the batches an uninterrupted run would.
 */
public final class LengthGroupedBatches implements BatchPlan {
    /** How many batches' worth of examples are sorted together (as in HF's LengthGroupedSampler). */
    private static final int MEGABATCH_FACTOR = 50;

    private final List<TokenizedExample> examples;
    private final int batchSize;
    private final long seed;

    public LengthGroupedBatches(List<TokenizedExample> examples, int batchSize, long seed) {
        if (examples.isEmpty()) throw new IllegalArgumentException("no training examples");
        this.examples = List.copyOf(examples);
        // No batch holds more than every example. Uncapped, `resumo train --batch-size 2147483647`
        // overflowed batchSize × MEGABATCH_FACTOR (and examples + batchSize - 1) into negative
        // numbers and died in Arrays.copyOfRange with a stack trace, leaving a half-made run folder.
        this.batchSize = Math.min(batchSize, this.examples.size());
        this.seed = seed;
    }

    @Override
    public int batchesPerEpoch() {
        return (examples.size() + batchSize - 1) / batchSize;
    }

    /** Batches of example indices for an epoch (the last batch may be smaller). */
    @Override
    public List<int[]> plan(int epoch) {
        Xoshiro256Random rng = Xoshiro256Random.derived(seed, epoch);
        int n = examples.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        shuffle(order, rng);
        List<int[]> batches = new ArrayList<>();
        int mega = batchSize * MEGABATCH_FACTOR;
        Comparator<Integer> longestFirst = Comparator.comparingInt((Integer i) -> examples.get(i).source().length).reversed();
        for (int start = 0; start < n; start += mega) {
            Integer[] group = java.util.Arrays.copyOfRange(order, start, Math.min(n, start + mega));
            java.util.Arrays.sort(group, longestFirst); // stable: ties keep the shuffled order
            for (int b = 0; b < group.length; b += batchSize) {
                int[] batch = new int[Math.min(batchSize, group.length - b)];
                for (int k = 0; k < batch.length; k++) batch[k] = group[b + k];
                batches.add(batch);
            }
        }
        int[][] shuffled = batches.toArray(new int[0][]);
        shuffle(shuffled, rng);
        return List.of(shuffled);
    }

    @Override
    public TokenBatch batch(int[] indices) {
        List<TokenizedExample> chosen = new ArrayList<>(indices.length);
        for (int i : indices) chosen.add(examples.get(i));
        return TokenBatch.of(chosen);
    }

    /** Evaluation batches: sorted by length (less padding), no shuffle. */
    public static List<TokenBatch> evalBatches(List<TokenizedExample> examples, int batchSize) {
        List<TokenizedExample> sorted = new ArrayList<>(examples);
        sorted.sort(Comparator.comparingInt((TokenizedExample e) -> e.source().length).reversed());
        List<TokenBatch> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += batchSize) {
            out.add(TokenBatch.of(sorted.subList(i, Math.min(sorted.size(), i + batchSize))));
        }
        return out;
    }

    private static <T> void shuffle(T[] a, Xoshiro256Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
