package dev.resumo.cli;

import dev.resumo.serve.LoadBench;
import dev.resumo.serve.SummarizerEngine;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.generate.GenerationConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** `resumo bench serve`: loopback load test, batching off vs on, as a table. */
final class BenchServeCommand implements Subcommand {
    private static final List<String> TEXTS = List.of(
            "O governo federal anunciou nesta segunda-feira um novo programa de investimentos em escolas públicas.",
            "A seleção brasileira venceu a partida por dois a zero diante de um estádio lotado.",
            "Pesquisadores descobriram uma nova espécie de sapo na Mata Atlântica, no litoral de São Paulo.",
            "Chuva forte causa alagamentos no Recife e a prefeitura pede que moradores evitem sair de casa.",
            "O Banco Central manteve a taxa de juros, citando a inflação ainda alta e a incerteza externa.");

    @Override
    public String name() {
        return "bench serve";
    }

    @Override
    public String summary() {
        return "load test on loopback: N clients for M seconds, batching off vs on; throughput, p50/p99, 5xx, heap";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(SummarizeCommand.opt("model", "DIR", "model folder or hub id ORG/NAME[@REVISION] (required)"));
        o.addOption(SummarizeCommand.opt("tokenizer", "PATH", "spiece.model, tokenizer.json or a directory with one (default: the model directory)"));
        o.addOption(SummarizeCommand.opt("clients", "N", "concurrent clients; at most " + LoadBench.MAX_CLIENTS + " (default: 16)"));
        o.addOption(SummarizeCommand.opt("seconds", "S", "length of each round (default: 10)"));
        o.addOption(SummarizeCommand.opt("max-requests", "N", "most requests per round (default: 100000)"));
        o.addOption(SummarizeCommand.opt("rounds", "N", "rounds per mode, to see the heap not grow (default: 2)"));
        o.addOption(SummarizeCommand.opt("max-new-tokens", "N", "summary length asked by every request; at most " + dev.resumo.serve.ServeConfig.DEFAULT_MAX_NEW_TOKENS_LIMIT + " (default: 32)"));
        o.addOption(SummarizeCommand.opt("max-wait-ms", "MS", "batching wait when batching is on; 0 to " + dev.resumo.serve.ServeConfig.MAX_WAIT_MS + " (default: 5)"));
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        // Every flag first (--clients before anything opens a socket), each a one-line error.
        int clients = BenchFlags.clients(line, 16);
        LoadBench.Plan plan;
        try {
            plan = new LoadBench.Plan(clients, Duration.ofSeconds(FlagValues.intValue(line, "seconds", 10, 1)),
                    FlagValues.intValue(line, "max-requests", 100_000, 1), FlagValues.intValue(line, "rounds", 2, 1),
                    FlagValues.intValue(line, "max-new-tokens", 32, 1), FlagValues.longValue(line, "max-wait-ms", 5));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        String modelArg = line.getOptionValue("model");
        if (modelArg == null) throw new UserError("--model is required");
        Path modelDir = ModelLoading.modelDir(modelArg, err);
        Summarizer summarizer = new Summarizer(ModelLoading.tokenizer(line.getOptionValue("tokenizer"), modelDir),
                ModelLoading.model(modelDir), GenerationConfig.greedy(plan.maxNewTokens()), Summarizer.DEFAULT_PREFIX,
                Summarizer.DEFAULT_MAX_SOURCE_LENGTH, clients);
        List<LoadBench.Round> rounds = LoadBench.compare(new SummarizerEngine(summarizer, modelArg, clients), plan, TEXTS);
        out.print(LoadBench.table(rounds));
        return 0;
    }
}
