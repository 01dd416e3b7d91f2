package dev.resumo.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/**
 * Mistakes commons-cli lets through, checked once for every command: a flag that takes one value
 * given twice (the parser keeps the first and never checks the second, so `--max-new-tokens 4
 * --max-new-tokens 0` ran with 4), and stray words after the flags.
 */
final class CommandLineChecks {
    private CommandLineChecks() {}

    /**
     * What a flag of each path-like argument name expects. An empty value (`--dataset "$DATA"` with
     * DATA unset) is the path "", which Java resolves to the working directory: the messages then
     * named no file at all ("resumo eval: : a folder that is neither TeMário ...", "resumo tokenize:
     * cannot read : it is a directory", "--output  is a directory") or blamed another flag ("--output-dir
     * ... is inside what --dataset reads ()").
     */
    private static final Map<String, String> PATH_ARGUMENTS = Map.of(
            "FILE", "a file name", "F.jsonl", "a file name", "PATH", "a file or folder name", "DIR", "a folder name",
            "DIR|ORG/NAME", "a model folder or a hub id ORG/NAME", "PATH|ID", "a dataset file, folder or hub id");

    /** The first mistake in {@code line} as one sentence, or null when there is none. */
    static String misuse(Subcommand command, CommandLine line, String[] args) {
        Map<String, String> seen = new HashMap<>();
        for (Option o : line.getOptions()) {
            if (!o.hasArg() || o.hasArgs()) continue; // switches repeat harmlessly; list flags repeat by design
            String name = o.getLongOpt() != null ? o.getLongOpt() : o.getOpt();
            String earlier = seen.putIfAbsent(name, o.getValue());
            if (earlier != null) {
                return "--" + name + " is given twice ('" + earlier + "' and '" + o.getValue() + "'); give it once";
            }
        }
        for (Option o : line.getOptions()) {
            String what = o.getArgName() == null ? null : PATH_ARGUMENTS.get(o.getArgName()); // a switch has none
            if (what != null && o.getValue() != null && o.getValue().isEmpty()) {
                return "--" + o.getLongOpt() + " must not be empty; give " + what;
            }
        }
        List<String> words = line.getArgList();
        if (!command.takesArguments() && !words.isEmpty()) {
            return "unexpected argument '" + words.getFirst() + "'" + quotingHint(args, words.getFirst());
        }
        return null;
    }

    /**
     * The value of --text (null when absent). The JVM decodes its arguments as UTF-8 (bin/java-env
     * runs it under a UTF-8 locale) and turns bytes that are not UTF-8 into U+FFFD, which the
     * tokenizer then dropped without a word: `--text $'caf\xe9'` (Latin-1) was tokenized as "caf".
     * The same bytes in an --input file stop with an error, so here too; with --replace-invalid
     * (tokenize) U+FFFD is kept, as it is for the file. A U+FFFD typed on purpose is refused as well:
     * after decoding it cannot be told from a bad byte.
     */
    static String text(CommandLine line) {
        String text = line.getOptionValue("text");
        int bad = text == null ? -1 : text.indexOf('\uFFFD');
        if (bad >= 0 && !line.hasOption("replace-invalid")) {
            throw new UserError("--text is not valid UTF-8 (character " + (text.codePointCount(0, bad) + 1)
                    + " is a byte that is not UTF-8; convert the text to UTF-8, e.g. with iconv -f latin1 -t utf-8)");
        }
        return text;
    }

    /**
     * The usual cause of a stray word is a value with a space left unquoted (`--text Olá mundo`):
     * when the word follows a flag's value, the hint shows that flag quoted; otherwise none.
     */
    private static String quotingHint(String[] args, String word) {
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals(word) && args[i - 2].startsWith("--") && !args[i - 1].startsWith("-")) {
                return " — a value with spaces needs quotes, e.g. " + args[i - 2] + " \"" + args[i - 1] + " " + word + "\"";
            }
        }
        return ": this command takes only flags";
    }
}
