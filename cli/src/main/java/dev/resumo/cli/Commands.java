package dev.resumo.cli;

import java.util.List;

/** Every subcommand of `resumo`, in the order `resumo help` lists them. */
final class Commands {
    private Commands() {}

    static List<Subcommand> all() {
        return List.of(
                new VersionCommand(),
                new DemoCommand(),
                new TrainCommand(),
                new EvalCommand(),
                new SummarizeCommand(),
                new ScoreCommand(),
                new ServeCommand(),
                new BatchCommand(),
                new FetchCommand(),
                new ConvertCommand(),
                new TokenizeCommand(),
                new DetokenizeCommand(),
                new RougeCommand(),
                new BaselineCommand(),
                new BenchGemmCommand(),
                new BenchTokenizerCommand(),
                new BenchServeCommand(),
                new BenchLoadCommand(),
                new BenchTrainCommand(),
                new BenchCompareCommand(),
                new BenchDeviceCommand(),
                new DevicesCommand());
    }
}
