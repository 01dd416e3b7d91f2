package dev.resumo.cli;

import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.tokenizer.TokenizerException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    static Option replaceInvalid() {
        return Option.builder().longOpt("replace-invalid")
                .desc("read invalid UTF-8 in --input as U+FFFD instead of stopping with an error (default: off)").get();
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

    /** A UTF-8 writer to --output, or to {@code out} (which the caller keeps open). */
    static Writer openOutput(CommandLine line, PrintStream out) {
        if (!line.hasOption("output")) return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        Path file = Path.of(line.getOptionValue("output"));
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage());
        }
    }

    static void close(Writer w, CommandLine line) throws IOException {
        if (line.hasOption("output")) w.close();
        else w.flush();
    }
}
