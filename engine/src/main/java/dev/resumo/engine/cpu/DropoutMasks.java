package dev.resumo.engine.cpu;

import dev.resumo.engine.StepBuffers;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
        Workers.parallelFor(n, GRAIN, (start, end) -> fill(mask, seed, p, keepScale, start, end));
        return mask;
    }

    /**
     * mask[i] for i in [start, end): eight draws at a time as 64-bit lanes (the same SplitMix64
     * steps, so the same bits as {@link #uniform}), then the scalar draw for the tail. The
     * comparison is made on the 24-bit integer: u = k·2⁻²⁴ ≥ p exactly when k ≥ ⌈p·2²⁴⌉ (p·2²⁴
     * is exact in double). Measured on one core, 4M elements: 2.7 ns per element scalar, 0.45
     * vectorised (8 lanes); the masks were ~6% of a PTT5-small training step with dropout 0.1.
     */
    static void fill(float[] mask, long seed, float p, float keepScale, int start, int end) {
        long threshold = (long) Math.ceil((double) p * (1 << 24));
        FloatVector keep = FloatVector.broadcast(HALF, keepScale), zero = FloatVector.zero(HALF);
        int i = start;
        if (LANES == 8) {
            for (int upper = start + ((end - start) & ~7); i < upper; i += 8) {
                LongVector z = IOTA.add(i).mul(0x9E3779B97F4A7C15L).add(seed);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
                VectorMask<Long> kept = z.lanewise(VectorOperators.LSHR, 40).compare(VectorOperators.GE, threshold);
                zero.blend(keep, kept.cast(HALF)).intoArray(mask, i);
            }
        }
        for (; i < end; i++) mask[i] = uniform(seed, i) >= p ? keepScale : 0f;
    }

    /**
     * 64-bit lanes of the hash: 8 with AVX-512. With narrower vectors (AVX2 has no 64-bit lane
     * multiply) the scalar loop runs alone rather than a vector path the JIT would not compile.
     */
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private static final int LANES = LONGS.length();
    /** The floats of eight lanes. */
    private static final VectorSpecies<Float> HALF = FloatVector.SPECIES_256;
    /** i + 1 for lanes 0..7, so lane e of block i hashes element i + e as {@link #uniform} does. */
    private static final LongVector IOTA = LongVector.fromArray(LONGS, new long[] {1, 2, 3, 4, 5, 6, 7, 8}, 0);

    /** The draw for element i: a float in [0, 1) with 24 random bits. */
    static float uniform(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }
}
