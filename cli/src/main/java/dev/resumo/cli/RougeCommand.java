package dev.resumo.cli;

import dev.resumo.train.data.DataFileException;
import dev.resumo.train.rouge.BootstrapAggregator;
import dev.resumo.train.rouge.CorpusRouge;
import dev.resumo.train.rouge.RougeReport;
import dev.resumo.train.rouge.SummaryPairs;
import dev.resumo.train.rouge.Tokenization;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * `resumo rouge`: ROUGE-1/2/L/Lsum of predictions against references, two JSON-lines files. Not read
 * through the dataset loader of train/eval/baseline: pairs are matched by id or by line, and the
 * loader drops duplicate rows and regroups rows by split, so line pairing would match wrong rows; the
 * predictions are JSON lines anyway (what summarize and eval --predictions write).
 */
final class RougeCommand implements Subcommand {
    @Override
    public String name() {
        return "rouge";
    }

    @Override
    public String summary() {
        return "ROUGE-1/2/L/Lsum of predictions against references (JSON lines, paired by id or by line)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("predictions").hasArg().argName("F.jsonl")
                .desc("generated summaries, one JSON object per line (required; default: none)").get());
        o.addOption(Option.builder().longOpt("references").hasArg().argName("F.jsonl")
                .desc("reference summaries, one JSON object per line (required; default: none)").get());
        o.addOption(Option.builder().longOpt("field").hasArg().argName("NAME")
                .desc("field holding the summary text in both files (default: summary)").get());
        o.addOption(Option.builder().longOpt("reference-field").hasArg().argName("NAME")
                .desc("field holding the reference text in --references, when it differs from --field; `resumo eval "
                        + "--predictions P` writes both in P: --predictions P --references P --reference-field reference "
                        + "(default: --field's)").get());
        RougeFlags.add(o);
        RougeFlags.addSeedAlias(o);
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        Path predictions = requiredPath(line, "predictions");
        Path references = requiredPath(line, "references");
        String field = line.getOptionValue("field", "summary");
        String referenceField = line.getOptionValue("reference-field", field);
        Tokenization tokenization = RougeFlags.tokenization(line);
        boolean stem = line.hasOption("stemmer");
        BootstrapAggregator bootstrap = RougeFlags.bootstrap(line, true);
        SummaryPairs pairs;
        try {
            pairs = SummaryPairs.read(predictions, references, field, referenceField);
        } catch (DataFileException e) {
            throw new UserError(e.getMessage());
        }
        RougeReport report = new CorpusRouge(tokenization, stem, bootstrap).evaluate(pairs.references(), pairs.predictions());
        RougeFlags.print(report, tokenization, stem, line.hasOption("json"), "ROUGE of " + predictions, out);
        return 0;
    }

    private static Path requiredPath(CommandLine line, String flag) {
        String value = line.getOptionValue(flag);
        if (value == null || value.isBlank()) throw new UserError("--" + flag + " is required");
        return Path.of(value);
    }
}
