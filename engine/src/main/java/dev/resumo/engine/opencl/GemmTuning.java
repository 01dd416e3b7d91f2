package dev.resumo.engine.opencl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Picks the GEMM tile parameters for a device: a small tuning run (each candidate that fits the
 * device's work-group and local-memory limits, timed in the three training layouts on a product
 * of {@link #size} — 2048×2048×512 on GPUs, 512³ elsewhere) whose winner is cached per device
 * (name + driver) under
 * {@code ~/.cache/resumo/opencl/<device>.gemm}. The system property {@code resumo.opencl.gemm}
 * (TSM,TSN,TSK,WPTM,WPTN) overrides both.
 */
public final class GemmTuning {
    static final int TUNE_SIZE = 512;
    /**
     * M and N of the tuning product on a GPU (K stays {@link #TUNE_SIZE}): the training step's
     * feed-forward shape. At 512³ a product took 30-100 µs on the H200, close to the ~50 µs a
     * launch costs there, so the ranking moved from run to run (32×32 tiles one time, 64×64 the
     * next, 5.4-19 TFLOP/s in use afterwards).
     */
    static final int GPU_TUNE_ROWS = 2048;
    /** Timed repetitions per candidate, after one untimed run that builds its kernels. */
    static final int TUNE_REPEATS = 3;

    private GemmTuning() {}

    /** The cached choice, or the result of a fresh tuning run (then cached). */
    public static GemmParams paramsFor(OpenClRuntime rt, PrintStream log) {
        String override = System.getProperty("resumo.opencl.gemm");
        if (override != null && !override.isBlank()) return GemmParams.decode(override);
        Path cache = cacheFile(rt.info());
        try {
            if (Files.isRegularFile(cache)) return GemmParams.decode(Files.readString(cache));
        } catch (IOException | IllegalArgumentException e) {
            log.println("opencl: ignoring unreadable GEMM tuning cache " + cache + " (" + e.getMessage() + ")");
        }
        GemmParams best = tune(rt, log);
        try {
            Files.createDirectories(cache.getParent());
            Files.writeString(cache, best.encode() + "\n");
        } catch (IOException e) {
            log.println("opencl: could not cache GEMM tuning in " + cache + " (" + e.getMessage() + ")");
        }
        return best;
    }

    static Path cacheFile(DeviceInfo info) {
        return Path.of(System.getProperty("user.home"), ".cache", "resumo", "opencl", info.cacheKey() + ".gemm");
    }

    /** Candidates that fit the device, each timed (best of {@link #TUNE_REPEATS}) over NN, NT and TN products. */
    public static GemmParams tune(OpenClRuntime rt, PrintStream log) {
        int k = TUNE_SIZE, mn = size(rt.info());
        Random rng = new Random(1);
        float[] host = new float[mn * k];
        for (int i = 0; i < host.length; i++) host[i] = rng.nextFloat() - 0.5f;
        ClBuffer a = rt.upload(host), b = rt.upload(host), c = rt.allocate((long) mn * mn);
        int[] zero = {0};
        GemmParams best = null;
        double bestSeconds = Double.MAX_VALUE;
        try {
            for (GemmParams p : GemmParams.CANDIDATES) {
                if (!fits(rt.info(), p)) continue;
                double seconds = Double.MAX_VALUE;
                for (int rep = -1; rep < TUNE_REPEATS; rep++) { // rep -1 builds the three layouts' kernels
                    long t0 = System.nanoTime();
                    for (int layout = 0; layout < 3; layout++) {
                        // A and B hold mn×k floats: as M×K / K×M (A) and K×N / N×K (B) alike.
                        ClGemm.run(rt, p, layout == 2, layout == 1, mn, mn, k, a, zero, b, zero, c, 0, false);
                    }
                    rt.finish();
                    if (rep >= 0) seconds = Math.min(seconds, (System.nanoTime() - t0) / 1e9);
                }
                log.printf("opencl: GEMM tuning %-36s %8.2f GFLOP/s%n", p, 3 * 2.0 * mn * mn * k / seconds / 1e9);
                if (seconds < bestSeconds) {
                    bestSeconds = seconds;
                    best = p;
                }
            }
        } finally {
            a.close();
            b.close();
            c.close();
        }
        if (best == null) throw new OpenClUnavailableException("no GEMM tile fits device " + rt.info().name());
        log.println("opencl: GEMM tuning picked " + best + " for " + rt.info().name());
        return best;
    }

    /** M and N of the tuning product: larger on GPUs, where a 512³ product is mostly launch cost. */
    static int size(DeviceInfo info) {
        return info.type() != null && info.type().toUpperCase(java.util.Locale.ROOT).contains("GPU") ? GPU_TUNE_ROWS : TUNE_SIZE;
    }

    static boolean fits(DeviceInfo info, GemmParams p) {
        return p.workGroupSize() <= info.maxWorkGroupSize() && p.localMemBytes() <= info.localMemBytes();
    }
}
