package dev.resumo.cli;

import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** `resumo bench gemm`: GFLOP/s per T5 GEMM shape against the measured FMA peak and numpy. */
final class BenchGemmCommand implements Subcommand {
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
        return new Options();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        throw new UserError("not built yet");
    }
}
