package dev.resumo.engine.cpu;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the GEMM register-tile kernel compiled by C2 while a command is still loading its model.
 *
 * <p>Why: Vector API code runs boxed (an object per vector operation, 10-100x slower) until C2
 * compiles it, and C2 takes about half a second of a compiler thread for {@link
 * GemmMicroKernel#kernel12x2} alone (the 12-row tile of 512-bit vectors; {@link
 * GemmMicroKernel#tile} picks the 6-row one on narrower vectors). Left to the first real product,
 * a one-shot `resumo summarize` ran its whole encoder pass on the boxed kernel while that
 * compilation went on. Started before
 * the model loads (a pass over its file, on another core), the compilation is done or under way
 * when the encoder starts. Measured (PTT5-small shape, 2 cores, five interleaved runs of each): a
 * one-shot `resumo summarize` of 64 new tokens, median wall 4.85 s before bin/java-env's early
 * compilation of the engine, 4.33 s with it, 3.56 s with it and this warm-up (the same output;
 * transformers' own one-shot script on the same model 5.0-5.4 s); a 4-step `resumo train` with its
 * evaluations 19.4-23.6 → 17.1-17.2 s.
 *
 * <p>What it runs: the kernel on its own small arrays, both with and without accumulation, enough
 * times to pass the compile thresholds (bin/java-env scales them down for the engine); it touches
 * no shared state, and the kernel's results do not depend on whether it is compiled (every
 * element is one FMA chain in a fixed order), so a warm-up changes timing only.
 */
public final class KernelWarmup {
    /** Kernel calls: past C2's invocation threshold even unscaled (Tier4InvocationThreshold 5000). */
    private static final int CALLS = 6000;
    /** Depth per call: short, so the boxed calls before compilation cost little. */
    private static final int KC = 8;

    static final String THREAD_NAME = "resumo-kernel-warmup";
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** The C tile of the last call (tests: the kernel ran). */
    static volatile float[] lastTile;

    private KernelWarmup() {}

    /**
     * Starts the warm-up on a daemon thread, once per JVM; returns at once.
     * {@code -Dresumo.kernelWarmup=false} turns it off.
     */
    public static void start() {
        start(!"false".equals(System.getProperty("resumo.kernelWarmup")));
    }

    /** The warm-up thread when this call started it; null when turned off or already started. */
    static Thread start(boolean enabled) {
        if (!enabled || !STARTED.compareAndSet(false, true)) return null;
        return Thread.ofPlatform().daemon().name(THREAD_NAME).start(KernelWarmup::run);
    }

    /** Whether {@link #start} started the warm-up in this JVM. */
    public static boolean started() {
        return STARTED.get();
    }

    static void run() {
        int mr = GemmMicroKernel.MR, nr = GemmMicroKernel.NR;
        float[] a = new float[mr * KC], b = new float[nr * KC], c = new float[mr * nr];
        for (int i = 0; i < a.length; i++) a[i] = 1e-3f * (i % 7);
        for (int i = 0; i < b.length; i++) b[i] = 1e-3f * (i % 5);
        for (int call = 0; call < CALLS; call++) GemmMicroKernel.tile(KC, a, 0, b, 0, c, 0, nr, (call & 1) == 1);
        lastTile = c;
    }
}
