package dev.resumo.cli;

import dev.resumo.train.data.DataFileException;
import dev.resumo.train.data.JsonLinesFile;
import dev.resumo.train.rouge.BootstrapAggregator;
import dev.resumo.train.rouge.CorpusRouge;
import dev.resumo.train.rouge.LeadBaseline;
import dev.resumo.train.rouge.RougeReport;
import dev.resumo.train.rouge.SentenceSplitter;
import dev.resumo.train.rouge.Tokenization;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** `resumo baseline`: ROUGE of the Lead-N extractive baseline (first N sentences) on a dataset split. */
final class BaselineCommand implements Subcommand {
    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public String summary() {
        return "ROUGE of the Lead-N baseline (first N sentences of each text) on a JSON-lines dataset split";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("dataset").hasArg().argName("F.jsonl")
                .desc("rows with a text, a reference summary and a split (required; default: none)").get());
        o.addOption(Option.builder().longOpt("split").hasArg().argName("NAME")
                .desc("rows whose \"split\" field equals this; \"all\" takes every row (default: test)").get());
        o.addOption(Option.builder().longOpt("lead").hasArg().argName("N")
                .desc("sentences taken from the start of each text (default: 3)").get());
        o.addOption(Option.builder().longOpt("text-field").hasArg().argName("NAME")
                .desc("field holding the document (default: text)").get());
        o.addOption(Option.builder().longOpt("summary-field").hasArg().argName("NAME")
                .desc("field holding the reference summary (default: summary)").get());
        RougeFlags.add(o);
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        String datasetFlag = line.getOptionValue("dataset");
        if (datasetFlag == null || datasetFlag.isBlank()) throw new UserError("--dataset is required");
        Path dataset = Path.of(datasetFlag);
        String split = line.getOptionValue("split", "test");
        int lead = RougeFlags.positiveInt(line, "lead", 3);
        String textField = line.getOptionValue("text-field", "text");
        String summaryField = line.getOptionValue("summary-field", "summary");
        Tokenization tokenization = RougeFlags.tokenization(line);
        boolean stem = line.hasOption("stemmer");
        BootstrapAggregator bootstrap = RougeFlags.bootstrap(line);

        LeadBaseline baseline = new LeadBaseline(lead, new SentenceSplitter());
        List<String> predictions = new ArrayList<>();
        List<String> references = new ArrayList<>();
        try {
            for (JsonLinesFile.Row row : JsonLinesFile.read(dataset, "dataset")) {
                if (!split.equals("all")) {
                    if (!row.has("split")) {
                        throw new UserError(row.where() + ": no \"split\" field (use --split all to take every row)");
                    }
                    if (!split.equals(row.text("split"))) continue;
                }
                predictions.add(baseline.summarize(row.text(textField)));
                references.add(row.text(summaryField));
            }
        } catch (DataFileException e) {
            throw new UserError(e.getMessage());
        }
        if (predictions.isEmpty()) throw new UserError(dataset + ": no rows with \"split\": \"" + split + "\"");
        RougeReport report = new CorpusRouge(tokenization, stem, bootstrap).evaluate(references, predictions);
        RougeFlags.print(report, tokenization, stem, line.hasOption("json"),
                "Lead-" + lead + " on " + dataset + " (" + split + ")", out);
        return 0;
    }
}
