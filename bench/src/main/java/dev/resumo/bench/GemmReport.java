package dev.resumo.bench;

import dev.resumo.engine.cpu.Workers;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The GEMM report behind `resumo bench gemm` (no JMH): the FMA peak of all threads, then
 * Resumo's GFLOP/s per shape and layout as a share of that peak, with numpy's figures beside
 * them when available.
 */
public final class GemmReport {
    private GemmReport() {}

    /** What to measure. {@code numpy} false skips the Python side. */
    public record Settings(int threads, List<GemmShape> shapes, int repeats, boolean numpy) {}

    public static void run(Settings settings, PrintStream out, PrintStream log) throws InterruptedException {
        Workers.setThreads(settings.threads());
        out.printf(Locale.ROOT, "threads %d, vector species %s%n", settings.threads(), FmaPeak.S);
        double peak = FmaPeak.measure(settings.threads(), 5, 200);
        out.printf(Locale.ROOT, "FMA peak (%d threads, %d chains of FloatVector.fma each): %.1f GFLOP/s%n",
                settings.threads(), FmaPeak.CHAINS, peak);

        NumpyGemm.Outcome numpy = null;
        if (settings.numpy()) {
            numpy = NumpyGemm.run(settings.shapes(), settings.threads(), settings.repeats(), log);
            out.println(numpy.ok() ? "numpy: " + numpy.blas()
                    : "numpy: not measured: " + numpy.note() + "; showing Resumo's figures alone");
        }
        out.println();
        out.printf(Locale.ROOT, "%-15s %-6s %9s %9s %7s %9s %8s%n",
                "shape MxKxN", "layout", "GFLOP/s", "best", "% peak", "numpy", "R/numpy");
        for (GemmShape shape : settings.shapes()) {
            GemmTiming.Result r = GemmTiming.measure(shape, settings.repeats());
            double[] np = numpy != null && numpy.ok() ? numpy.gflops().get(NumpyGemm.key(shape)) : null;
            out.printf(Locale.ROOT, "%-15s %-6s %9.1f %9.1f %6.1f%% %9s %8s%n",
                    shape.dims(), layoutName(shape.layout()), r.medianGflops(), r.bestGflops(),
                    100 * r.medianGflops() / peak,
                    np == null ? "-" : String.format(Locale.ROOT, "%.1f", np[0]),
                    np == null ? "-" : String.format(Locale.ROOT, "%.2f", r.medianGflops() / np[0]));
        }
        out.println();
        out.println("GFLOP/s: median of " + settings.repeats() + " timed runs after warm-up (numpy too); "
                + "best: fastest run; % peak: median / FMA peak.");
    }

    static String layoutName(String layout) {
        return switch (layout) {
            case "NN" -> "A·B";
            case "NT" -> "A·Bᵀ";
            case "TN" -> "Aᵀ·B";
            default -> "Aᵀ·Bᵀ";
        };
    }
}
