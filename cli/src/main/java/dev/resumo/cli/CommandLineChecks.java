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
    static String misuse(Subcommand command, CommandLine line) {
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
            return "unexpected argument '" + words.getFirst() + "' — a value with spaces needs quotes, e.g. --text \"Olá mundo\"";
        }
        return null;
    }
}
