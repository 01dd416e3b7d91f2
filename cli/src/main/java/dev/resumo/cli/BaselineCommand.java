package dev.resumo.cli;

import dev.resumo.train.data.DataFileException;
import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.DatasetFormat;
import dev.resumo.train.data.JsonLinesFile;
import dev.resumo.train.data.Split;
import dev.resumo.train.rouge.BootstrapAggregator;
import dev.resumo.train.rouge.CorpusRouge;
import dev.resumo.train.rouge.LeadBaseline;
import dev.resumo.train.rouge.RougeReport;
import dev.resumo.train.rouge.SentenceSplitter;
import dev.resumo.train.rouge.Tokenization;
import java.io.PrintStream;
import java.nio.file.Files;
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
                .desc("rows of this split (train, validation or test, with eval's synonyms: val, valid, dev, ...; another "
                        + "name must equal the \"split\" field); \"all\" takes every row (default: test)").get());
        o.addOption(Option.builder().longOpt("lead").hasArg().argName("N")
                .desc("sentences taken from the start of each text (default: 3)").get());
        o.addOption(Option.builder().longOpt("text-column").hasArg().argName("NAME")
                .desc("field holding the document, as in eval and train (default: text)").get());
        o.addOption(Option.builder().longOpt("summary-column").hasArg().argName("NAME")
                .desc("field holding the reference summary, as in eval and train (default: summary)").get());
        o.addOption(Option.builder().longOpt("text-field").hasArg().argName("NAME")
                .desc("older name of --text-column (default: text)").get());
        o.addOption(Option.builder().longOpt("summary-field").hasArg().argName("NAME")
                .desc("older name of --summary-column (default: summary)").get());
        RougeFlags.add(o);
        return o;
    }

    /**
     * The column flag under its name in eval and train, or under baseline's older name; both at
     * once is refused rather than one silently winning.
     */
    private static String column(CommandLine line, String flag, String olderFlag, String fallback) {
        if (line.hasOption(flag) && line.hasOption(olderFlag)) {
            throw new UserError("--" + flag + " and --" + olderFlag + " are the same setting; give one");
        }
        String v = line.getOptionValue(flag, line.getOptionValue(olderFlag, fallback));
        if (v.isBlank()) throw new UserError("--" + (line.hasOption(flag) ? flag : olderFlag) + " must not be empty");
        return v;
    }

    /**
     * `--dataset` of train and eval takes CSV/TSV, TeMário and XL-Sum too; baseline reads JSON lines
     * only, and a CSV file was refused as "b.csv:1: not valid JSON (Unrecognized token 'text' ...)",
     * a TeMário folder as "not a regular file". Such a source is named for what it is, with the way on.
     * A name that tells no layout (data.txt) is read as JSON lines, as before.
     */
    private static void refuseOtherLayouts(Path dataset) {
        if (!Files.exists(dataset)) return; // JsonLinesFile says it does not exist
        DatasetFormat format;
        try {
            format = DatasetFormat.detect(dataset);
        } catch (DatasetException e) {
            if (Files.isDirectory(dataset)) throw new UserError("--dataset " + dataset + " is a folder; baseline reads one JSON-lines file");
            return;
        }
        if (format == DatasetFormat.JSONL) return;
        throw new UserError("--dataset " + dataset + " is " + switch (format) {
            case CSV -> "a CSV file";
            case TSV -> "a TSV file";
            case TEMARIO -> "a TeMário folder";
            default -> "XL-Sum data";
        } + "; baseline reads JSON lines (text, summary and split fields on each line): convert it, or run `resumo eval`"
                + " on it, which reads every dataset layout and reports Lead-3 beside the model");
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        String datasetFlag = line.getOptionValue("dataset");
        if (datasetFlag == null || datasetFlag.isBlank()) throw new UserError("--dataset is required");
        Path dataset = Path.of(datasetFlag);
        refuseOtherLayouts(dataset);
        String split = line.getOptionValue("split", "test");
        int lead = RougeFlags.positiveInt(line, "lead", 3);
        String textField = column(line, "text-column", "text-field", "text");
        String summaryField = column(line, "summary-column", "summary-field", "summary");
        // The same split names as eval (Split.parse: "dev" is validation) on both the flag and the
        // rows, so both commands take the same rows; a name Split does not know is matched as written.
        Split wanted = Split.parse(split);
        Tokenization tokenization = RougeFlags.tokenization(line);
        boolean stem = line.hasOption("stemmer");
        BootstrapAggregator bootstrap = RougeFlags.bootstrap(line);

        LeadBaseline baseline = new LeadBaseline(lead, new SentenceSplitter());
        List<String> predictions = new ArrayList<>();
        List<String> references = new ArrayList<>();
        try {
            for (JsonLinesFile.Row row : JsonLinesFile.read(dataset, "dataset")) {
                if (!split.equals("all")) {
                    if (row.value().get("split") == null) { // null or not a string: row.text says which
                        throw new UserError(row.where() + ": no \"split\" field (use --split all to take every row)");
                    }
                    String rowSplit = row.text("split");
                    if (wanted != null ? wanted != Split.parse(rowSplit) : !split.equals(rowSplit)) continue;
                }
                predictions.add(baseline.summarize(row.text(textField)));
                references.add(row.text(summaryField));
            }
        } catch (DataFileException e) {
            throw new UserError(e.getMessage());
        }
        if (predictions.isEmpty()) {
            throw new UserError(dataset + ": no rows " + (wanted != null ? "of the " + wanted.label() + " split (--split "
                    + split + ")" : "with \"split\": \"" + split + "\""));
        }
        RougeReport report = new CorpusRouge(tokenization, stem, bootstrap).evaluate(references, predictions);
        RougeFlags.print(report, tokenization, stem, line.hasOption("json"),
                "Lead-" + lead + " on " + dataset + " (" + split + ")", out);
        return 0;
    }
}
