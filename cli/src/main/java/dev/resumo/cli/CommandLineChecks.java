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
        List<String> words = line.getArgList();
        if (!command.takesArguments() && !words.isEmpty()) {
            return "unexpected argument '" + words.getFirst() + "'" + quotingHint(args, words.getFirst());
        }
        return null;
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
