package dev.resumo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.generate.SamplingImpossibleException;
import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.train.data.Dataset;
import dev.resumo.train.data.Example;
import dev.resumo.train.data.Split;
import dev.resumo.train.rouge.BootstrapAggregator;
import dev.resumo.train.rouge.CorpusRouge;
import dev.resumo.train.rouge.LeadBaseline;
import dev.resumo.train.rouge.RougeReport;
import dev.resumo.train.rouge.RougeReportJson;
import dev.resumo.train.rouge.SentenceSplitter;
import dev.resumo.train.rouge.Tokenization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** `resumo eval`: summarizes a dataset split with a model and reports ROUGE, with Lead-3 alongside. */
final class EvalCommand implements Subcommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "generate summaries for a dataset split with a model and report ROUGE (and Lead-3 for comparison)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(SummarizeCommand.opt("model", "DIR", ModelLoading.MODEL_HELP));
        o.addOption(SummarizeCommand.opt("tokenizer", "PATH", "spiece.model, tokenizer.json or a directory with one (default: the model directory)"));
        o.addOption(SummarizeCommand.opt("dataset", "PATH", "JSONL/CSV/TSV file (or .gz of one), Parquet file, TeMário folder, XL-Sum archive,"
                + " folder laid out like a hub dataset (DIR[:CONFIG]) or hub dataset id, e.g. csebuetnlp/xlsum:portuguese or"
                + " ORG/NAME@refs/convert/parquet (required)"));
        o.addOption(SummarizeCommand.opt("split", "NAME", "train, validation or test (default: test)"));
        o.addOption(SummarizeCommand.opt("text-column", "NAME", "column holding the text (default: text)"));
        o.addOption(SummarizeCommand.opt("summary-column", "NAME", "column holding the reference summary (default: summary)"));
        o.addOption(SummarizeCommand.opt("max-examples", "N", "score only the first N examples; 0 = all (default: 0)"));
        o.addOption(SummarizeCommand.opt("predictions", "FILE", "also write {\"id\", \"summary\", \"reference\"} lines here; an existing file needs --force (default: none)"));
        o.addOption(SummarizeCommand.opt("prefix", "TEXT", ModelPrefix.HELP));
        o.addOption(SummarizeCommand.opt("max-source-length", "N", "tokens of input kept, </s> included; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 512)"));
        o.addOption(SummarizeCommand.opt("batch-size", "N", "texts generated together (default: 8)"));
        GenerationFlags.add(o);
        o.addOption(SummarizeCommand.force());
        RougeFlags.add(o);
        // Replaces the shared --json: eval prints two reports, the model's and Lead-3's, in one object.
        o.addOption(org.apache.commons.cli.Option.builder().longOpt("json")
                .desc("print one JSON object {\"model\": report, \"lead3\": report}, each as `resumo rouge --json` "
                        + "prints it (default: two tables)").get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        String modelDir = line.getOptionValue("model");
        if (modelDir == null) throw new UserError("--model is required");
        String datasetFlag = line.getOptionValue("dataset");
        if (datasetFlag == null) throw new UserError("--dataset is required");
        Split split = Split.parse(line.getOptionValue("split", "test"));
        if (split == null) throw new UserError("--split must be train, validation or test, got '" + line.getOptionValue("split") + "'");
        // Everything that can be refused is checked before the generation run, not after it.
        Tokenization tokenization = RougeFlags.tokenization(line);
        BootstrapAggregator bootstrap = RougeFlags.bootstrap(line, false);
        FlagValues.intValue(line, "max-examples", 0, 0); // before the dataset loads, as the other flags
        GenerationFlags.given(line); // malformed generation flags too; their combination with the model's settings once it loads
        try (OutputSink predictionsFile = OutputSink.prepare(line, "predictions", out, "dataset")) {
            return evaluate(line, modelDir, datasetFlag, split, tokenization, bootstrap, predictionsFile, out, err);
        }
    }

    private int evaluate(CommandLine line, String modelDir, String datasetFlag, Split split, Tokenization tokenization,
            BootstrapAggregator bootstrap, OutputSink predictionsFile, PrintStream out, PrintStream err) throws Exception {
        Dataset dataset = DatasetFlag.load(datasetFlag, line.getOptionValue("text-column", "text"),
                line.getOptionValue("summary-column", "summary"), err);
        List<Example> examples = dataset.split(split);
        if (examples.isEmpty()) {
            throw new UserError("--dataset " + datasetFlag + " has no " + split.label() + " examples ("
                    + dataset.report().summary() + ")");
        }
        // As `resumo train` reports it: rows left out are counted per reason, never dropped silently.
        err.println("dataset: " + dataset.report().summary());
        int max = FlagValues.intValue(line, "max-examples", 0, 0);
        if (max > 0 && max < examples.size()) examples = examples.subList(0, max);

        Path dir = ModelLoading.modelDir(modelDir, err);
        T5Model model = ModelLoading.model(dir);
        T5Tokenizer tokenizer = ModelLoading.tokenizer(line.getOptionValue("tokenizer"), dir);
        Summarizer summarizer;
        try {
            var generation = GenerationFlags.config(line, dir, err);
            if (line.hasOption("seed") && !generation.doSample()) {
                // eval's --seed was the ROUGE bootstrap's seed until it became the sampling seed of
                // every generating command: say so where it would now change nothing.
                err.println("warning: --seed seeds sampling, which these settings do not use (greedy or beam search);"
                        + " the ROUGE bootstrap's seed is --bootstrap-seed (eval's --seed set it before)");
            }
            summarizer = new Summarizer(tokenizer, model, generation,
                    line.getOptionValue("prefix", ModelPrefix.saved(dir)),
                    SequenceLengthFlags.maxSourceLength(line),
                    FlagValues.intValue(line, "batch-size", Summarizer.DEFAULT_BATCH_SIZE, 1));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        List<String> texts = examples.stream().map(Example::text).toList();
        List<String> references = examples.stream().map(Example::summary).toList();
        long start = System.nanoTime();
        List<String> predictions;
        try {
            predictions = summarizer.summarize(texts).stream().map(Summarizer.Summary::text).toList();
        } catch (SamplingImpossibleException e) {
            throw new UserError(e.getMessage()); // the settings (or the model) leave nothing to sample from
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (line.hasOption("predictions")) {
            writePredictions(predictionsFile.stream(), examples, predictions);
            predictionsFile.commit();
        }

        boolean stem = line.hasOption("stemmer");
        CorpusRouge rouge = new CorpusRouge(tokenization, stem, bootstrap);
        // Progress on stderr, like the dataset line: stdout is the report alone, so --json output parses as it is.
        err.printf("%d %s examples summarized in %.1f s (%.2f texts/s)%n", examples.size(), split.label(), seconds,
                examples.size() / seconds);
        RougeReport modelReport = rouge.evaluate(references, predictions);
        LeadBaseline lead3 = new LeadBaseline(3, new SentenceSplitter());
        RougeReport leadReport = rouge.evaluate(references, texts.stream().map(lead3::summarize).toList());
        if (line.hasOption("json")) {
            // One document with both reports by name: two concatenated ones are not JSON, and nothing said which was which.
            ObjectNode both = JSON.createObjectNode();
            both.set("model", RougeReportJson.toJson(modelReport, tokenization, stem));
            both.set("lead3", RougeReportJson.toJson(leadReport, tokenization, stem));
            out.println(both.toPrettyString());
            return 0;
        }
        RougeFlags.print(modelReport, tokenization, stem, false, "model " + dir, out);
        RougeFlags.print(leadReport, tokenization, stem, false, "Lead-3 baseline", out);
        return 0;
    }

    private static void writePredictions(PrintStream file, List<Example> examples, List<String> predictions) throws IOException {
        for (int i = 0; i < examples.size(); i++) {
            ObjectNode row = JSON.createObjectNode();
            row.put("id", examples.get(i).id());
            row.put("summary", predictions.get(i));
            row.put("reference", examples.get(i).summary());
            file.print(JSON.writeValueAsString(row));
            file.print('\n');
        }
    }
}
