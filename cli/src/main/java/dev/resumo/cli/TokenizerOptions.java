package dev.resumo.cli;

import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.tokenizer.TokenizerException;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/** Flags and helpers that `resumo tokenize` and `resumo detokenize` share. */
final class TokenizerOptions {
    private TokenizerOptions() {}

    static Option tokenizer() {
        return Option.builder().longOpt("tokenizer").hasArg().argName("PATH").required()
                .desc("spiece.model, tokenizer.json, or a model directory holding either (required; no default)").get();
    }

    static Option output() {
        return Option.builder().longOpt("output").hasArg().argName("FILE")
                .desc("write JSON lines here (default: standard output)").get();
    }

    static Option input(String what) {
        return Option.builder().longOpt("input").hasArg().argName("FILE")
                .desc("JSON lines to read, " + what + " (default: none)").get();
    }

    /** {@code where}: the flags whose text it applies to ("--input", "--input or --text"). */
    static Option replaceInvalid(String where) {
        return Option.builder().longOpt("replace-invalid")
                .desc("read invalid UTF-8 in " + where + " as U+FFFD instead of stopping with an error (default: off)").get();
    }

    static T5Tokenizer load(CommandLine line) {
        return load(Path.of(line.getOptionValue("tokenizer")));
    }

    static T5Tokenizer load(Path path) {
        try {
            return T5Tokenizer.load(path);
        } catch (TokenizerException e) {
            throw new UserError(e.getMessage());
        }
    }

    static Option force() {
        return SummarizeCommand.force();
    }
}
