package dev.resumo.cli;

import dev.resumo.t5.Summarizer;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.GenerationOverrides;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The generation flags (transformers' generate() settings) of every command that generates:
 * summarize, eval and batch define them here and turn them into a GenerationConfig here, over the
 * model's generation_config.json, so the same flags mean the same summaries and the same
 * one-line errors everywhere.
 */
final class GenerationFlags {
    private GenerationFlags() {}

    static final String PROMPT_LOOKUP_HELP = "greedy decoding: check up to N tokens copied from the text after the"
            + " summary's latest words in one decoder pass (HF's prompt_lookup_num_tokens); the same summary, faster"
            + " where it copies its text; at most " + GenerationConfig.MAX_PROMPT_LOOKUP_TOKENS
            + "; 0 = off (default: generation_config.json, else 0)";

    static final String REPETITION_PENALTY_HELP = "scores of tokens already in the summary divided by X (times X when negative),"
            + " as HF's repetition_penalty; 1 = off (default: generation_config.json, else 1.0)";

    /** Adds every generation flag to {@code o}. */
    static void add(Options o) {
        o.addOption(SummarizeCommand.opt("num-beams", "N", "beam search width; 1 = greedy or sampling; at most "
                + GenerationConfig.MAX_NUM_BEAMS + " (default: generation_config.json, else 1)"));
        o.addOption(SummarizeCommand.opt("max-new-tokens", "N", "longest summary in tokens; at most "
                + GenerationConfig.MAX_NEW_TOKENS_LIMIT + " (default: generation_config.json, else 128)"));
        o.addOption(SummarizeCommand.opt("min-new-tokens", "N", "shortest summary in tokens (default: generation_config.json, else 0)"));
        o.addOption(SummarizeCommand.opt("length-penalty", "X", "beam score = log p / length^X (default: generation_config.json, else 1.0)"));
        o.addOption(SummarizeCommand.opt("early-stopping", "WHEN", "beam search: true, false or never (default: generation_config.json, else false)"));
        o.addOption(SummarizeCommand.opt("no-repeat-ngram-size", "N", "no n-gram of this size twice; 0 = off (default: generation_config.json, else 0)"));
        o.addOption(SummarizeCommand.opt("repetition-penalty", "X", REPETITION_PENALTY_HELP));
        o.addOption(SummarizeCommand.opt("prompt-lookup-num-tokens", "N", PROMPT_LOOKUP_HELP));
        o.addOption(Option.builder().longOpt("do-sample").optionalArg(true).numberOfArgs(1).argName("true|false")
                .desc("sample instead of greedy search (with --num-beams above 1: beam sampling, each step's continuations"
                        + " drawn); --do-sample alone means true, --do-sample false turns off the sampling a"
                        + " generation_config.json asks for (default: generation_config.json, else off)").get());
        o.addOption(SummarizeCommand.opt("temperature", "X", "sampling temperature (default: generation_config.json, else 1.0)"));
        o.addOption(SummarizeCommand.opt("top-k", "N", "sample among the k most likely tokens; 0 = all (default: generation_config.json, else 50)"));
        o.addOption(SummarizeCommand.opt("top-p", "X", "sample among the most likely tokens reaching probability p (default: generation_config.json, else 1.0)"));
        o.addOption(SummarizeCommand.opt("seed", "N", "random seed for sampling; each text draws from its own generator seeded"
                + " with it, so its summary does not depend on its batch (default: 0)"));
    }

    /** The flags given, each checked alone (malformed, below its minimum) in a line naming it; null where not given. */
    static GenerationOverrides given(CommandLine line) {
        GenerationConfig.EarlyStopping stopping = null;
        if (line.hasOption("early-stopping")) {
            try {
                stopping = GenerationConfig.earlyStopping(line.getOptionValue("early-stopping"));
            } catch (IllegalArgumentException e) {
                throw new UserError(flagName(e.getMessage()));
            }
        }
        return new GenerationOverrides(
                intFlag(line, "max-new-tokens", 1),
                intFlag(line, "min-new-tokens", 0),
                intFlag(line, "num-beams", 1),
                floatFlag(line, "length-penalty"),
                stopping,
                intFlag(line, "no-repeat-ngram-size", 0),
                floatFlag(line, "repetition-penalty"),
                line.hasOption("do-sample") ? doSample(line) : null,
                floatFlag(line, "temperature"),
                intFlag(line, "top-k", 0),
                floatFlag(line, "top-p"),
                line.hasOption("seed") ? FlagValues.longValue(line, "seed", 0) : null,
                intFlag(line, "prompt-lookup-num-tokens", 0));
    }

    /**
     * The flags over the model's generation_config.json over the defaults; invalid values name the
     * flag. Settings of that file Resumo does not implement are reported on {@code err}.
     */
    static GenerationConfig config(CommandLine line, Path modelDir, PrintStream err) {
        return config(given(line), modelDir, err);
    }

    /** {@link #config(CommandLine, Path, PrintStream)} for flags already read (batch's, from its pipeline options). */
    static GenerationConfig config(GenerationOverrides given, Path modelDir, PrintStream err) {
        GenerationConfig model;
        try {
            model = Summarizer.modelGenerationConfig(modelDir);
        } catch (IllegalArgumentException e) {
            throw new UserError("--model " + e.getMessage());
        }
        warnIgnoredSettings(modelDir, err);
        try {
            return given.over(model);
        } catch (IllegalArgumentException e) {
            throw new UserError(flagName(e.getMessage()));
        }
    }

    /** --do-sample (alone: true) or --do-sample true|false. */
    private static boolean doSample(CommandLine line) {
        String value = line.getOptionValue("do-sample");
        if (value == null || value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        throw new UserError("--do-sample: expected true or false (or nothing, meaning true), got \"" + value + "\"");
    }

    private static Integer intFlag(CommandLine line, String flag, int min) {
        return line.hasOption(flag) ? FlagValues.intValue(line, flag, 0, min) : null;
    }

    private static Float floatFlag(CommandLine line, String flag) {
        return line.hasOption(flag) ? FlagValues.floatValue(line, flag, 0f) : null;
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

    /** GenerationConfig and Summarizer name HF fields (max_new_tokens: ...); on the command line they are flags. */
    static String flagName(String message) {
        int colon = message.indexOf(':');
        if (colon <= 0 || message.substring(0, colon).contains(" ")) return message;
        return "--" + message.substring(0, colon).replace('_', '-') + message.substring(colon);
    }
}
