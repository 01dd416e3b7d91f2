package dev.resumo.engine.opencl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Picks the GEMM tile parameters for a device: a small tuning run (each candidate that fits the
 * device's work-group and local-memory limits, timed on a 512³ product in the three training
 * layouts) whose winner is cached per device (name + driver) under
 * {@code ~/.cache/resumo/opencl/<device>.gemm}. The system property {@code resumo.opencl.gemm}
 * (TSM,TSN,TSK,WPTM,WPTN) overrides both.
 */
public final class GemmTuning {
    static final int TUNE_SIZE = 512;

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

    /** Candidates that fit the device, each timed (best of 2) over NN, NT and TN 512³ products. */
    public static GemmParams tune(OpenClRuntime rt, PrintStream log) {
        int s = TUNE_SIZE;
        Random rng = new Random(1);
        float[] host = new float[s * s];
        for (int i = 0; i < host.length; i++) host[i] = rng.nextFloat() - 0.5f;
        ClBuffer a = rt.upload(host), b = rt.upload(host), c = rt.allocate((long) s * s);
        int[] zero = {0};
        GemmParams best = null;
        double bestSeconds = Double.MAX_VALUE;
        try {
            for (GemmParams p : GemmParams.CANDIDATES) {
                if (!fits(rt.info(), p)) continue;
                double seconds = Double.MAX_VALUE;
                for (int rep = 0; rep < 2; rep++) {
                    long t0 = System.nanoTime();
                    for (int layout = 0; layout < 3; layout++) {
                        ClGemm.run(rt, p, layout == 2, layout == 1, s, s, s, a, zero, b, zero, c, 0, false);
                    }
                    rt.finish();
                    seconds = Math.min(seconds, (System.nanoTime() - t0) / 1e9);
                }
                log.printf("opencl: GEMM tuning %-36s %7.2f GFLOP/s%n", p, 3 * 2.0 * s * s * s / seconds / 1e9);
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

    static boolean fits(DeviceInfo info, GemmParams p) {
        return p.workGroupSize() <= info.maxWorkGroupSize() && p.localMemBytes() <= info.localMemBytes();
    }
}
