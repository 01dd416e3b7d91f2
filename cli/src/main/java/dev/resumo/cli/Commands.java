package dev.resumo.cli;

import java.util.List;

/** Every subcommand of `resumo`, in the order `resumo help` lists them. */
final class Commands {
    private Commands() {}

    static List<Subcommand> all() {
        return List.of(
                new VersionCommand(),
                new RougeCommand(),
                new BaselineCommand(),
                new FetchCommand(),
                new ConvertCommand(),
                new TokenizeCommand(),
                new DetokenizeCommand(),
                new SummarizeCommand(),
                new ScoreCommand(),
                new ServeCommand(),
                new BatchCommand(),
                new BenchGemmCommand(),
                new BenchTokenizerCommand(),
                new BenchServeCommand(),
                new BenchCompareCommand());
    }
}
