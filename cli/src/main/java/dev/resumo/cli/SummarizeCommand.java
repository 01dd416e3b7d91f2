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

/** `resumo summarize`: summaries of one text or of a JSONL file, as JSON lines {"summary", "ids"}. */
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
        o.addOption(opt("input", "FILE", "JSON lines with a text column (default: none; give --text or --input)"));
        o.addOption(opt("text-column", "NAME", "field of --input holding the text (default: text)"));
        o.addOption(opt("output", "FILE", "where to write the JSON lines (default: standard output)"));
        o.addOption(force());
        o.addOption(opt("prefix", "TEXT", ModelPrefix.HELP));
        o.addOption(opt("max-source-length", "N", "tokens of input kept, </s> included; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 512)"));
        o.addOption(opt("batch-size", "N", "texts generated together (default: 8)"));
        o.addOption(opt("num-beams", "N", "beam search width; 1 = greedy or sampling; at most " + dev.resumo.t5.generate.GenerationConfig.MAX_NUM_BEAMS + " (default: generation_config.json, else 1)"));
        o.addOption(opt("max-new-tokens", "N", "longest summary in tokens; at most " + dev.resumo.t5.generate.GenerationConfig.MAX_NEW_TOKENS_LIMIT + " (default: generation_config.json, else 128)"));
        o.addOption(opt("min-new-tokens", "N", "shortest summary in tokens (default: generation_config.json, else 0)"));
        o.addOption(opt("length-penalty", "X", "beam score = log p / length^X (default: generation_config.json, else 1.0)"));
        o.addOption(opt("early-stopping", "WHEN", "beam search: true, false or never (default: generation_config.json, else false)"));
        o.addOption(opt("no-repeat-ngram-size", "N", "no n-gram of this size twice; 0 = off (default: generation_config.json, else 0)"));
        o.addOption(opt("repetition-penalty", "X", REPETITION_PENALTY_HELP));
        o.addOption(opt("prompt-lookup-num-tokens", "N", PROMPT_LOOKUP_HELP));
        o.addOption(DeviceFlag.option());
        o.addOption(Option.builder().longOpt("do-sample").optionalArg(true).numberOfArgs(1).argName("true|false")
                .desc("sample instead of greedy/beam search; --do-sample alone means true, --do-sample false turns off"
                        + " the sampling a generation_config.json asks for (default: generation_config.json, else off)").get());
        o.addOption(opt("temperature", "X", "sampling temperature (default: generation_config.json, else 1.0)"));
        o.addOption(opt("top-k", "N", "sample among the k most likely tokens; 0 = all (default: generation_config.json, else 50)"));
        o.addOption(opt("top-p", "X", "sample among the most likely tokens reaching probability p (default: generation_config.json, else 1.0)"));
        o.addOption(opt("seed", "N", "random seed for sampling (default: 0)"));
        return o;
    }

    static final String PROMPT_LOOKUP_HELP = "greedy decoding: check up to N tokens copied from the text after the"
            + " summary's latest words in one decoder pass (HF's prompt_lookup_num_tokens); the same summary, faster"
            + " where it copies its text; at most " + dev.resumo.t5.generate.GenerationConfig.MAX_PROMPT_LOOKUP_TOKENS
            + "; 0 = off (default: generation_config.json, else 0)";

    static final String REPETITION_PENALTY_HELP = "scores of tokens already in the summary divided by X (times X when negative),"
            + " as HF's repetition_penalty; 1 = off (default: generation_config.json, else 1.0)";

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
        Path modelDir = ModelLoading.modelDir(modelArg, err);
        T5Model model = DeviceFlag.onDevice(ModelLoading.model(modelDir), DeviceFlag.backend(line, err));
        T5Tokenizer tokenizer = ModelLoading.tokenizer(line.getOptionValue("tokenizer"), modelDir);
        GenerationConfig generation = generationConfig(line, modelDir, err);
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
        var ids = row.putArray("ids");
        for (int id : s.ids()) ids.add(id);
        try {
            return JSON.writeValueAsString(row);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e); // a tree of strings and ints always serializes
        }
    }

    /**
     * Flags over the model's generation_config.json over the defaults; invalid values name the
     * flag. Settings of that file Resumo does not implement are reported on {@code err}.
     */
    static GenerationConfig generationConfig(CommandLine line, Path modelDir, PrintStream err) {
        GenerationConfig base;
        try {
            base = Summarizer.modelGenerationConfig(modelDir);
        } catch (IllegalArgumentException e) {
            throw new UserError("--model " + e.getMessage());
        }
        warnIgnoredSettings(modelDir, err);
        try {
            GenerationConfig.EarlyStopping stopping = line.hasOption("early-stopping")
                    ? GenerationConfig.earlyStopping(line.getOptionValue("early-stopping"))
                    : base.earlyStopping();
            int maxNew = FlagValues.intValue(line, "max-new-tokens", base.maxNewTokens(), 1);
            // A shorter --max-new-tokens than the model's own min_new_tokens: transformers stops at
            // the maximum (the minimum only bans EOS before it), so the summary is maxNew tokens
            // long; here the model's minimum is clamped to it instead of refusing a flag the user
            // did not give. Both given on the command line and contradicting: still an error.
            int minNew = line.hasOption("min-new-tokens") ? FlagValues.intValue(line, "min-new-tokens", base.minNewTokens(), 0)
                    : Math.min(base.minNewTokens(), maxNew);
            return new GenerationConfig(
                    maxNew,
                    minNew,
                    FlagValues.intValue(line, "num-beams", base.numBeams(), 1),
                    FlagValues.floatValue(line, "length-penalty", base.lengthPenalty()),
                    stopping,
                    FlagValues.intValue(line, "no-repeat-ngram-size", base.noRepeatNgramSize(), 0),
                    FlagValues.floatValue(line, "repetition-penalty", base.repetitionPenalty()),
                    1,
                    doSample(line, base.doSample()),
                    FlagValues.floatValue(line, "temperature", base.temperature()),
                    FlagValues.intValue(line, "top-k", base.topK(), 0),
                    FlagValues.floatValue(line, "top-p", base.topP()),
                    FlagValues.longValue(line, "seed", base.seed()),
                    FlagValues.intValue(line, "prompt-lookup-num-tokens", base.promptLookupNumTokens(), 0));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("do_sample:") && !line.hasOption("do-sample")) {
                // The sampling came from the model's generation_config.json, not from a flag: say so,
                // and how to turn it off, instead of blaming a --do-sample the user never typed.
                throw new UserError(modelDir.resolve("generation_config.json") + " sets do_sample true, and "
                        + e.getMessage().substring("do_sample:".length()).strip() + "; add --do-sample false for beam search");
            }
            throw new UserError(flagName(e.getMessage()));
        }
    }

    /** --do-sample (alone: true), --do-sample true|false, or the model's setting when absent. */
    static boolean doSample(CommandLine line, boolean fromModel) {
        if (!line.hasOption("do-sample")) return fromModel;
        String value = line.getOptionValue("do-sample");
        if (value == null || value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        throw new UserError("--do-sample: expected true or false (or nothing, meaning true), got \"" + value + "\"");
    }

    /**
     * One warning line for the generation_config.json settings that would change the output in
     * transformers and that Resumo does not implement (num_beam_groups, bad_words_ids, ...):
     * generation goes on as if they were unset, which the user should know before comparing.
     */
    static void warnIgnoredSettings(Path modelDir, PrintStream err) {
        List<String> ignored = Summarizer.ignoredGenerationSettings(modelDir);
        if (!ignored.isEmpty()) {
            err.println("warning: " + modelDir.resolve("generation_config.json") + " sets " + String.join(", ", ignored)
                    + ", which Resumo does not implement: generating as if unset");
        }
    }

    /** GenerationConfig names HF fields (max_new_tokens: ...); on the command line they are flags. */
    private static String flagName(String message) {
        int colon = message.indexOf(':');
        if (colon <= 0) return message;
        return "--" + message.substring(0, colon).replace('_', '-') + message.substring(colon);
    }
}
