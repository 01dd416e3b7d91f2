package dev.resumo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.t5.Scorer;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Model;
import dev.resumo.tokenizer.T5Tokenizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** `resumo score`: teacher-forced loss of each reference summary, as JSON lines {"loss", "tokens"}. */
final class ScoreCommand implements Subcommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "score";
    }

    @Override
    public String summary() {
        return "mean token cross-entropy of each reference summary given its text; writes {\"loss\", \"tokens\"} per line";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(SummarizeCommand.opt("model", "DIR", ModelLoading.MODEL_HELP));
        o.addOption(SummarizeCommand.opt("tokenizer", "PATH", "spiece.model, tokenizer.json or a directory with one (default: the model directory)"));
        o.addOption(SummarizeCommand.opt("input", "FILE", "JSON lines (.jsonl, .jsonl.gz) or Parquet (.parquet) with text and summary columns (required)"));
        o.addOption(SummarizeCommand.opt("text-column", "NAME", "field holding the text (default: text)"));
        o.addOption(SummarizeCommand.opt("summary-column", "NAME", "field holding the reference summary (default: summary)"));
        o.addOption(SummarizeCommand.opt("prefix", "TEXT", ModelPrefix.HELP));
        o.addOption(SummarizeCommand.opt("max-source-length", "N", "tokens of text kept, </s> included; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 512)"));
        o.addOption(SummarizeCommand.opt("max-target-length", "N", "tokens of summary scored, </s> included; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 128)"));
        o.addOption(SummarizeCommand.opt("output", "FILE", "where to write the JSON lines (default: standard output)"));
        o.addOption(SummarizeCommand.force());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        String modelArg = line.getOptionValue("model");
        if (modelArg == null) throw new UserError("--model is required");
        if (!line.hasOption("input")) throw new UserError("--input is required");
        try (OutputSink sink = OutputSink.prepare(line, "output", out, "input")) {
            return score(line, modelArg, sink, err);
        }
    }

    private int score(CommandLine line, String modelArg, OutputSink output, PrintStream err) throws Exception {
        int maxSource = SequenceLengthFlags.maxSourceLength(line);
        int maxTarget = SequenceLengthFlags.tokens(line, "max-target-length", 128, 1);
        List<String[]> rows = JsonlRows.readNonBlank(Path.of(line.getOptionValue("input")), "score",
                line.getOptionValue("text-column", "text"), line.getOptionValue("summary-column", "summary"));
        Path modelDir = ModelLoading.modelDir(modelArg, err);
        T5Model model = ModelLoading.model(modelDir);
        T5Tokenizer tokenizer = ModelLoading.tokenizer(line.getOptionValue("tokenizer"), modelDir);
        Scorer scorer = new Scorer(tokenizer, model, line.getOptionValue("prefix", ModelPrefix.saved(modelDir)), maxSource, maxTarget);
        PrintStream sink = output.stream();
        for (String[] row : rows) {
            Scorer.Score s = scorer.score(row[0], row[1]);
            ObjectNode node = JSON.createObjectNode();
            node.put("loss", s.loss());
            node.put("tokens", s.tokens());
            sink.println(JSON.writeValueAsString(node));
        }
        output.commit();
        return 0;
    }
}
