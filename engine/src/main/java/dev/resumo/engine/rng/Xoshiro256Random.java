package dev.resumo.engine.rng;

import java.util.Random;

/**
 * A {@link Random} whose whole state can be read and restored exactly: xoshiro256** (Blackman &
 * Vigna) seeded through SplitMix64. Training saves it in checkpoints so that a resumed run draws the
 * same dropout masks and shuffles as one that was never interrupted — java.util.Random cannot export
 * its seed, and its nextGaussian keeps a hidden cached value; this class has neither problem.
 *
 * <p>It extends Random because {@code Ops.dropout} and generation take a Random. Not thread-safe.
 */
public final class Xoshiro256Random extends Random {
    // No field initialisers: Random's constructor calls setSeed before they would run.
    private long s0, s1, s2, s3;

    public Xoshiro256Random(long seed) {
        super(0L);
        setSeed(seed);
    }

    /** A generator for one purpose (e.g. epoch 3's shuffle) derived from a base seed. */
    public static Xoshiro256Random derived(long seed, long stream) {
        return new Xoshiro256Random(mix(seed ^ mix(stream + 0x632BE59BD9B4E019L)));
    }

    @Override
    public void setSeed(long seed) {
        long x = seed;
        s0 = mix(x += 0x9E3779B97F4A7C15L);
        s1 = mix(x += 0x9E3779B97F4A7C15L);
        s2 = mix(x += 0x9E3779B97F4A7C15L);
        s3 = mix(x + 0x9E3779B97F4A7C15L);
    }

    /** The four state words; {@link #setState} with them continues the exact same sequence. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    public void setState(long[] state) {
        if (state.length != 4) {
            throw new IllegalArgumentException("xoshiro256 state needs 4 words, got " + state.length);
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("xoshiro256 state must not be all zero");
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
    }

    @Override
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    @Override
    protected int next(int bits) {
        return (int) (nextLong() >>> (64 - bits));
    }

    @Override
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Box–Muller without a cached second value, so the state words are the whole state. */
    @Override
    public double nextGaussian() {
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
