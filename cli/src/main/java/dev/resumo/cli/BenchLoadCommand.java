package dev.resumo.cli;

import dev.resumo.bench.LoadBenchmark;
import dev.resumo.bench.T5Shapes;
import dev.resumo.engine.io.Dtype;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** `resumo bench load`: load time and resident memory of a T5 checkpoint loaded in a fresh JVM. */
final class BenchLoadCommand implements Subcommand {
    @Override
    public String name() {
        return "bench load";
    }

    @Override
    public String summary() {
        return "load random PTT5-shaped weights in a fresh JVM: load time, VmRSS, VmHWM vs the parameter bytes";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("shape").hasArg().argName(String.join("|", T5Shapes.NAMES))
                .desc("model shape: tiny (golden tests), small (PTT5-small), base (PTT5-base, 223M parameters)"
                        + " (default: base)").get());
        o.addOption(Option.builder().longOpt("dtype").hasArg().argName("f32|bf16")
                .desc("storage type of the weights file written and loaded (default: f32)").get());
        o.addOption(Option.builder().longOpt("repeats").hasArg().argName("N")
                .desc("fresh-JVM loads to measure (default: 2)").get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        String shape = line.getOptionValue("shape", "base");
        if (!T5Shapes.NAMES.contains(shape)) {
            throw new UserError("--shape " + shape + ": must be one of " + String.join(", ", T5Shapes.NAMES));
        }
        String dtypeName = line.getOptionValue("dtype", "f32");
        Dtype dtype = switch (dtypeName) {
            case "f32" -> Dtype.F32;
            case "bf16" -> Dtype.BF16;
            default -> throw new UserError("--dtype " + dtypeName + ": must be f32 or bf16");
        };
        int repeats = FlagValues.intValue(line, "repeats", 2, 1);
        LoadBenchmark.run(new LoadBenchmark.Settings(shape, dtype, repeats), out);
        return 0;
    }
}
