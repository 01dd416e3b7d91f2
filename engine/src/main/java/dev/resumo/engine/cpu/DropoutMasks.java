package dev.resumo.engine.cpu;

import dev.resumo.engine.StepBuffers;

import java.util.Random;

/**
 * Inverted-dropout keep masks: mask[i] = 1/(1-p) when element i is kept, 0 when dropped.
 *
 * <p>Reproducible and parallel: the caller's generator gives one {@code nextLong()} per mask (so a
 * run's random state stays one exportable generator, and resumed runs draw the same masks); element
 * i is kept when u(seed, i) ≥ p, where u is the SplitMix64 finalizer of seed + (i+1)·golden ratio,
 * top 24 bits as a float in [0, 1). Each element depends only on (seed, i), so any split over the
 * worker threads gives the same mask. Why not one {@code nextFloat()} per element: drawn in order on
 * one thread, the masks of a PTT5-small training step (~60M elements) cost ~0.4 s of a 2.5 s step.
 */
public final class DropoutMasks {
    private static final int GRAIN = 1 << 15;

    private DropoutMasks() {}

    /** A fresh mask of n elements for drop probability p (0 ≤ p ≤ 1; p = 1 drops everything). */
    public static float[] keepMask(int n, float p, Random rng) {
        long seed = rng.nextLong();
        float keepScale = p == 1f ? 0f : 1f / (1f - p);
        float[] mask = StepBuffers.uninitialized(n); // every element is drawn below
        Workers.parallelFor(n, GRAIN, (start, end) -> {
            for (int i = start; i < end; i++) mask[i] = uniform(seed, i) >= p ? keepScale : 0f;
        });
        return mask;
    }

    /** The draw for element i: a float in [0, 1) with 24 random bits. */
    static float uniform(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }
}
