package dev.resumo.cli;

import java.util.List;

/** Every subcommand of `resumo`, in the order `resumo help` lists them. */
final class Commands {
    private Commands() {}

    static List<Subcommand> all() {
        return List.of(
                new VersionCommand(),
                new FetchCommand(),
                new ConvertCommand(),
                new TokenizeCommand(),
                new DetokenizeCommand(),
                new RougeCommand(),
                new BaselineCommand(),
                new SummarizeCommand(),
                new ScoreCommand(),
                new TrainCommand(),
                new EvalCommand(),
                new DemoCommand(),
                new BenchGemmCommand(),
                new BenchTokenizerCommand());
    }
}
