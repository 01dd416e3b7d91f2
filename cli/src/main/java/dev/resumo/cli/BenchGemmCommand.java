package dev.resumo.cli;

import dev.resumo.bench.FmaPeakBenchmark;
import dev.resumo.bench.GemmBenchmark;
import dev.resumo.bench.GemmReport;
import dev.resumo.bench.GemmShape;
import dev.resumo.bench.OpenClGemmReport;
import dev.resumo.engine.cpu.Workers;
import dev.resumo.engine.opencl.OpenClBackend;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** `resumo bench gemm`: GFLOP/s per T5 GEMM shape against the measured FMA peak and numpy. */
final class BenchGemmCommand implements Subcommand {
    private static final int DEFAULT_REPEATS = 10;

    @Override
    public String name() {
        return "bench gemm";
    }

    @Override
    public String summary() {
        return "GEMM GFLOP/s at the T5-small shapes, % of the FMA peak, and numpy side by side";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("worker threads for Resumo and for numpy's BLAS; at most " + dev.resumo.train.TrainConfig.MAX_THREADS
                        + " (default: available processors, "
                        + Runtime.getRuntime().availableProcessors() + " here)").get());
        o.addOption(Option.builder().longOpt("shapes").hasArg().argName("LIST")
                .desc("comma-separated M×K×N shapes (× or x, e.g. 2048x512x512), each optionally ':NN', ':NT', ':TN' or ':TT' for one layout "
                        + "(default: " + String.join(",", GemmShape.T5_SHAPES) + ", each in NN, NT and TN)").get());
        o.addOption(Option.builder().longOpt("repeats").hasArg().argName("N")
                .desc("timed runs per shape after warm-up; the median is reported (default: " + DEFAULT_REPEATS + ")").get());
        o.addOption(Option.builder().longOpt("no-cpu")
                .desc("with --device opencl: skip the CPU GEMM column (default: the CPU is measured too)").get());
        o.addOption(Option.builder().longOpt("no-numpy")
                .desc("skip the numpy side (which sets up a Python venv on first use) (default: numpy is measured)").get());
        o.addOption(DeviceFlag.option());
        o.addOption(Option.builder().longOpt("jmh")
                .desc("run the JMH benchmarks (GemmBenchmark, FmaPeakBenchmark) instead of the quick report "
                        + "(default: quick report)").get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        int threads = BenchFlags.threads(line);
        int repeats = FlagValues.intValue(line, "repeats", DEFAULT_REPEATS, 1);
        List<GemmShape> shapes = shapes(line.getOptionValue("shapes", String.join(",", GemmShape.T5_SHAPES)));
        if (line.hasOption("jmh")) {
            return runJmh(threads, shapes);
        }
        if (DeviceFlag.backend(line, err) instanceof OpenClBackend device) {
            Workers.setThreads(threads);
            OpenClGemmReport.run(device, shapes, repeats, !line.hasOption("no-cpu"), out);
            return 0;
        }
        GemmReport.run(new GemmReport.Settings(threads, shapes, repeats, !line.hasOption("no-numpy")), out, err);
        return 0;
    }

    private static int runJmh(int threads, List<GemmShape> shapes) throws Exception {
        Set<String> dims = new LinkedHashSet<>();
        Set<String> layouts = new LinkedHashSet<>();
        for (GemmShape s : shapes) {
            dims.add(s.dims());
            layouts.add(s.layout());
        }
        new Runner(new OptionsBuilder()
                .include(GemmBenchmark.class.getName())
                .include(FmaPeakBenchmark.class.getName())
                .param("threads", Integer.toString(threads))
                .param("shape", dims.toArray(String[]::new))
                .param("layout", layouts.toArray(String[]::new))
                .build()).run();
        return 0;
    }

    static List<GemmShape> shapes(String list) {
        List<GemmShape> shapes = new ArrayList<>();
        for (String spec : list.split(",")) {
            if (spec.isBlank()) continue;
            try {
                shapes.addAll(GemmShape.parse(spec));
            } catch (IllegalArgumentException e) {
                throw new UserError("--shapes: " + e.getMessage());
            }
        }
        if (shapes.isEmpty()) throw new UserError("--shapes: no shape given (e.g. --shapes 2048x512x512)");
        return shapes;
    }
}
