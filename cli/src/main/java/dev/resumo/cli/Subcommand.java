package dev.resumo.cli;

import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * One `resumo` subcommand. Each lives in its own class and is listed in {@link Commands}.
 * Option descriptions must end with the default, e.g. "(default: 8)", so that
 * `resumo CMD --help` documents every flag with its default.
 */
public interface Subcommand {
    /** The words that select it: "version", or "bench gemm" for a nested command. */
    String name();

    /** One line for `resumo help`. */
    String summary();

    /** The flags it takes (`--help` is added by the dispatcher). */
    Options options();

    /**
     * Whether words that are not flags may follow (fetch's repository id, Beam options after --
     * for batch). Elsewhere a stray word is an error: `--text Olá mundo` without quotes would
     * otherwise summarize "Olá" and drop "mundo" without a word.
     */
    default boolean takesArguments() {
        return false;
    }

    /**
     * The usage line of `--help`: the words after the flags' place too where the command takes
     * some (fetch's repository id), so the help shows them where a user looks first.
     */
    default String usage() {
        return "resumo " + name() + " [flags]";
    }

    /**
     * Runs the command. A user mistake is reported by throwing {@link UserError}, which the
     * dispatcher prints as one line without a stack trace.
     *
     * @return the process exit code
     */
    int run(CommandLine line, PrintStream out, PrintStream err) throws Exception;
}
