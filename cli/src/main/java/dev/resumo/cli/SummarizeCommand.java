package dev.resumo.cli;

import dev.resumo.t5.BlankText;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.generate.GenerationCancelledException;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.SamplingImpossibleException;
import dev.resumo.tokenizer.T5Tokenizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * `resumo summarize`: summaries of one text or of a JSONL file, as JSON lines {"summary", "ids"},
 * with "candidates" when more than one sequence per text is asked for.
 */
final class SummarizeCommand implements Subcommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "summarize";
    }

    @Override
    public String summary() {
        return "summarize --text or every row of --input with a T5 model; writes {\"summary\", \"ids\"} per line";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("model", "DIR", ModelLoading.MODEL_HELP));
        o.addOption(opt("tokenizer", "PATH", "spiece.model, tokenizer.json or a directory with one (default: the model directory)"));
        o.addOption(opt("text", "TEXT", "one text to summarize (default: none; give --text or --input)"));
        o.addOption(opt("input", "FILE", "JSON lines (.jsonl, .jsonl.gz) or Parquet (.parquet) with a text column (default: none; give --text or --input)"));
        o.addOption(opt("text-column", "NAME", "field of --input holding the text (default: text)"));
        o.addOption(opt("output", "FILE", "where to write the JSON lines (default: standard output)"));
        o.addOption(force());
        o.addOption(opt("prefix", "TEXT", ModelPrefix.HELP));
        o.addOption(opt("max-source-length", "N", "tokens of input kept, </s> included; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 512)"));
        o.addOption(opt("batch-size", "N", "texts generated together (default: 8)"));
        GenerationFlags.add(o);
        o.addOption(ReturnSequencesFlag.option());
        o.addOption(DeviceFlag.option());
        return o;
    }

    /** --force, shared by the commands that write an output file. */
    static Option force() {
        return Option.builder().longOpt("force").desc("replace the output file if it exists (default: off)").get();
    }

    static Option opt(String name, String arg, String description) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(description).get();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        String modelArg = line.getOptionValue("model");
        if (modelArg == null) throw new UserError("--model is required");
        boolean hasText = line.hasOption("text");
        boolean hasInput = line.hasOption("input");
        if (hasText == hasInput) throw new UserError("give exactly one of --text and --input");
        // A column names a field of --input's rows; with --text it would be ignored, and a user who
        // wrote it expected it to do something.
        if (hasText && line.hasOption("text-column")) {
            throw new UserError("--text-column names a field of --input rows; it does nothing with --text");
        }
        // Checked before any work: a bad --output must not cost a whole generation run.
        try (OutputSink sink = OutputSink.prepare(line, "output", out, "input")) {
            return summarize(line, modelArg, hasText, sink, err);
        }
    }

    private int summarize(CommandLine line, String modelArg, boolean hasText, OutputSink output, PrintStream err) throws Exception {
        List<String> texts = new ArrayList<>();
        if (hasText) {
            String text = CommandLineChecks.text(line);
            if (BlankText.isBlank(text)) throw new UserError("--text must not be blank: there is nothing to summarize");
            texts.add(text);
        } else {
            for (String[] row : JsonlRows.readNonBlankText(Path.of(line.getOptionValue("input")), line.getOptionValue("text-column", "text"))) {
                texts.add(row[0]);
            }
        }
        int returnSequences = ReturnSequencesFlag.value(line); // malformed: before the model loads
        Path modelDir = ModelLoading.modelDir(modelArg, err);
        T5Model model = DeviceFlag.onDevice(ModelLoading.model(modelDir), DeviceFlag.backend(line, err));
        T5Tokenizer tokenizer = ModelLoading.tokenizer(line.getOptionValue("tokenizer"), modelDir);
        GenerationConfig generation = ReturnSequencesFlag.apply(returnSequences, GenerationFlags.config(line, modelDir, err));
        Summarizer summarizer;
        try {
            summarizer = new Summarizer(tokenizer, model, generation, line.getOptionValue("prefix", ModelPrefix.saved(modelDir)),
                    SequenceLengthFlags.maxSourceLength(line),
                    FlagValues.intValue(line, "batch-size", Summarizer.DEFAULT_BATCH_SIZE, 1));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        PrintStream sink = output.stream();
        InOrderLines lines = new InOrderLines(sink, texts.size());
        // Standard output whose reader left (`summarize --input big.jsonl | head -1`): the work stops
        // there (Main then exits 141, as a tool killed by SIGPIPE), not after the last batch.
        AtomicBoolean readerGone = new AtomicBoolean();
        StandardStream.whenReaderGone(sink, () -> readerGone.set(true));
        try {
            summarizer.summarize(texts, readerGone::get, (s, index) -> lines.put(index, row(s)));
        } catch (GenerationCancelledException e) {
            return 0; // Main reports the closed standard output
        } catch (SamplingImpossibleException e) {
            throw new UserError(e.getMessage()); // the settings (or the model) leave nothing to sample from
        }
        output.commit();
        return 0;
    }

    private static String row(Summarizer.Summary s) {
        ObjectNode row = JSON.createObjectNode();
        row.put("summary", s.text());
        putIds(row, s.ids());
        if (s.candidates().size() > 1) {
            var candidates = row.putArray("candidates");
            for (Summarizer.Candidate c : s.candidates()) {
                ObjectNode one = candidates.addObject();
                one.put("summary", c.text());
                putIds(one, c.ids());
                if (!Float.isNaN(c.score())) one.put("score", c.score());
            }
        }
        try {
            return JSON.writeValueAsString(row);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e); // a tree of strings and ints always serializes
        }
    }

    private static void putIds(ObjectNode node, int[] ids) {
        var array = node.putArray("ids");
        for (int id : ids) array.add(id);
    }
}
