package dev.resumo.cli;

import dev.resumo.train.data.Dataset;
import dev.resumo.train.data.Example;
import dev.resumo.train.data.Split;
import dev.resumo.train.rouge.BootstrapAggregator;
import dev.resumo.train.rouge.CorpusRouge;
import dev.resumo.train.rouge.LeadBaseline;
import dev.resumo.train.rouge.RougeReport;
import dev.resumo.train.rouge.SentenceSplitter;
import dev.resumo.train.rouge.Tokenization;
import java.io.PrintStream;
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
        return "ROUGE of the Lead-N baseline (first N sentences of each text) on a dataset split, read as train and eval read it";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("dataset").hasArg().argName("PATH")
                .desc("JSONL/CSV/TSV file (or .gz of one), Parquet file, TeMário folder, XL-Sum archive, folder laid out like a "
                        + "hub dataset (DIR[:CONFIG]) or hub dataset id, e.g. csebuetnlp/xlsum:portuguese or "
                        + "ORG/NAME@refs/convert/parquet, as train and eval take it (required; default: none)").get());
        o.addOption(Option.builder().longOpt("split").hasArg().argName("NAME")
                .desc("train, validation or test (synonyms: val, valid, dev, ...), split as train and eval split the "
                        + "dataset (a source without split labels by train's seeded 80/10/10 ratio); \"all\" takes every "
                        + "kept row (default: test)").get());
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
        RougeFlags.addSeedAlias(o);
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

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        String datasetFlag = line.getOptionValue("dataset");
        if (datasetFlag == null || datasetFlag.isBlank()) throw new UserError("--dataset is required");
        String split = line.getOptionValue("split", "test");
        // eval's split names and synonyms ("dev" is validation), and "all" for every kept row.
        Split wanted = Split.parse(split);
        boolean all = split.strip().equalsIgnoreCase("all");
        if (wanted == null && !all) {
            throw new UserError("--split must be train, validation, test or all, got '" + split + "'");
        }
        int lead = RougeFlags.positiveInt(line, "lead", 3);
        String textColumn = column(line, "text-column", "text-field", "text");
        String summaryColumn = column(line, "summary-column", "summary-field", "summary");
        Tokenization tokenization = RougeFlags.tokenization(line);
        boolean stem = line.hasOption("stemmer");
        BootstrapAggregator bootstrap = RougeFlags.bootstrap(line, true);

        // Read as train and eval read --dataset: every layout, the same rejections and the same split
        // assignment, so Lead-N here is scored on the rows eval scores. JSON lines were read by a
        // parser of baseline's own, and CSV/TSV, TeMário and XL-Sum sources were refused.
        Dataset dataset = DatasetFlag.load(datasetFlag, textColumn, summaryColumn, err);
        List<Example> examples = new ArrayList<>();
        for (Split s : Split.values()) if (all || s == wanted) examples.addAll(dataset.split(s));
        if (examples.isEmpty()) {
            throw new UserError("--dataset " + datasetFlag + " has no " + (all ? "" : wanted.label() + " ") + "examples ("
                    + dataset.report().summary() + ")");
        }
        // As eval and train report it: rows left out are counted per reason on stderr, never dropped silently.
        err.println("dataset: " + dataset.report().summary());
        LeadBaseline baseline = new LeadBaseline(lead, new SentenceSplitter());
        List<String> predictions = examples.stream().map(e -> baseline.summarize(e.text())).toList();
        List<String> references = examples.stream().map(Example::summary).toList();
        RougeReport report = new CorpusRouge(tokenization, stem, bootstrap).evaluate(references, predictions);
        RougeFlags.print(report, tokenization, stem, line.hasOption("json"),
                "Lead-" + lead + " on " + datasetFlag + " (" + (all ? "all" : wanted.label()) + ")", out);
        return 0;
    }
}
