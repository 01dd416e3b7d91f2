package dev.resumo.cli;

import dev.resumo.engine.TensorTooLargeException;
import dev.resumo.engine.backend.DeviceMemoryException;
import dev.resumo.t5.hub.ProxyTunnelAuthentication;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** Entry point of `resumo`: finds the subcommand, parses its flags, turns user errors into one line. */
public final class Main {
    /** The exit status of a process killed by SIGPIPE, as the shell reports it. */
    static final int BROKEN_PIPE = 141;

    private Main() {}

    public static void main(String[] args) {
        // First, before any code can build an HttpClient: Basic credentials in HTTPS_PROXY must reach
        // the proxy on CONNECT too (a JDK setting read once; see ProxyTunnelAuthentication).
        ProxyTunnelAuthentication.allowBasic();
        // UTF-8 whatever the locale, and write errors kept for the check in run (see StandardStream);
        // set as System.out/err too, so code that prints there directly gets the same streams.
        StandardStream out = StandardStream.utf8(new FileOutputStream(FileDescriptor.out));
        StandardStream err = StandardStream.utf8(new FileOutputStream(FileDescriptor.err));
        System.setOut(out);
        System.setErr(err);
        System.exit(run(args, out, err));
    }

    /** Runs `resumo args...` and returns the exit code (separate from main so tests can call it). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        int code = dispatch(args, out, err);
        // A PrintStream never throws: without this check `resumo summarize ... > out.jsonl` on a full
        // disk (or with standard output closed) lost its lines and exited 0. checkError() flushes
        // first, so it also covers what is still buffered. Exit 2, as a failed --output file does.
        if (out.checkError()) {
            IOException failure = out instanceof StandardStream s ? s.failure() : null;
            String reason = failure != null ? Messages.describe(failure) : "write error";
            // The reader went away (`resumo ... | head`): no message, as a tool killed by SIGPIPE
            // prints none, and its exit status (128 + 13), so a pipeline with pipefail still fails.
            if (StandardStream.isBrokenPipe(failure)) return BROKEN_PIPE;
            err.println(label(args) + ": cannot write standard output (" + reason + ")");
            return code == 0 ? 2 : code;
        }
        return code;
    }

    /** "resumo summarize" when args name a command, else "resumo": how the error lines begin. */
    private static String label(String[] args) {
        Subcommand command = args.length == 0 ? null : find(Commands.all(), args);
        return command == null ? "resumo" : "resumo " + command.name();
    }

    private static int dispatch(String[] args, PrintStream out, PrintStream err) {
        String undecodable = LocaleArguments.problem(args);
        if (undecodable != null) {
            err.println(label(args) + ": " + undecodable);
            return 2;
        }
        List<Subcommand> commands = Commands.all();
        // `resumo --version` / `-V`, as most command-line tools answer it: the version command.
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) args = new String[] {"version"};
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            if (args.length >= 2 && args[0].equals("help")) {
                Subcommand c = find(commands, Arrays.copyOfRange(args, 1, args.length));
                if (c != null) {
                    printHelp(c, out);
                    return 0;
                }
                // `resumo help nope` printed the usage and exited 0, as if the topic existed.
                if (groupMembers(commands, args[1]).isEmpty() && !List.of("help", "--help", "-h").contains(args[1])) {
                    err.println("resumo: unknown command '" + String.join(" ", Arrays.copyOfRange(args, 1, Math.min(3, args.length)))
                            + "'; `resumo help` lists the commands");
                    return 2;
                }
            }
            printUsage(commands, out);
            return args.length == 0 ? 2 : 0;
        }
        Subcommand command = find(commands, args);
        if (command == null && !groupMembers(commands, args[0]).isEmpty()) {
            // `resumo bench` alone (or with an unknown second word): the group's commands, not "unknown command".
            err.println("resumo: '" + String.join(" ", Arrays.copyOf(args, Math.min(2, args.length))) + "' is not a command; "
                    + args[0] + " has: " + String.join(", ", groupMembers(commands, args[0])));
            return 2;
        }
        if (command == null) {
            err.println("resumo: unknown command '" + String.join(" ", Arrays.copyOf(args, Math.min(2, args.length)))
                    + "'; `resumo help` lists the commands");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, command.name().split(" ").length, args.length);
        // --help wins over everything else, including required flags that are missing.
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            printHelp(command, out);
            return 0;
        }
        Options options = command.options();
        options.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
        // --help wins before parsing, so commands with required flags can still show their help.
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            printHelp(command, out);
            return 0;
        }
        CommandLine line;
        try {
            line = new DefaultParser().parse(options, rest);
        } catch (ParseException e) {
            err.println("resumo " + command.name() + ": " + e.getMessage() + " (see `resumo " + command.name() + " --help`)");
            return 2;
        }
        if (line.hasOption("help")) {
            printHelp(command, out);
            return 0;
        }
        String misuse = CommandLineChecks.misuse(command, line, rest);
        if (misuse != null) {
            err.println("resumo " + command.name() + ": " + misuse + " (see `resumo " + command.name() + " --help`)");
            return 2;
        }
        return execute(command, line, out, err);
    }

    /** Runs a parsed command; what it throws becomes one line on err (a stack trace only for internal errors). */
    static int execute(Subcommand command, CommandLine line, PrintStream out, PrintStream err) {
        try {
            return command.run(line, out, err);
        } catch (UserError e) {
            err.println("resumo " + command.name() + ": " + e.getMessage());
            return 2;
        } catch (InvalidPathException e) {
            // A name no file can have: a NUL character, or characters the file-name charset cannot
            // encode (under a non-UTF-8 locale such as LANG=C, where bin/java-env finds no UTF-8 one).
            boolean nul = e.getInput().indexOf('\0') >= 0;
            err.println("resumo " + command.name() + ": cannot use the file name '" + e.getInput().replace("\0", "\\0") + "': "
                    + e.getReason() + (nul ? "" : " (run under a UTF-8 locale, e.g. LC_ALL=C.UTF-8)"));
            return 2;
        } catch (Exception e) {
            // Out of device memory is not a mistake on the command line, but not a bug either: the
            // device is too small for the job, and the message says what was asked and the limit (a
            // stack trace says neither). `resumo batch` gets it back wrapped in Beam's PipelineExecutionException.
            RuntimeException full = tooLargeCause(e);
            if (full != null) {
                err.println("resumo " + command.name() + ": " + full.getMessage());
                return 1;
            }
            err.println("resumo " + command.name() + ": internal error: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /**
     * The DeviceMemoryException, or the TensorTooLargeException (a tensor past 2^31-1 elements: the
     * job is too large for the engine, on any device), somewhere in e's causes, or null.
     */
    private static RuntimeException tooLargeCause(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof DeviceMemoryException full) return full;
            if (t instanceof TensorTooLargeException large) return large;
        }
        return null;
    }

    /** The names of the commands whose first word is {@code word} when they have a second one ("bench gemm", ...). */
    private static List<String> groupMembers(List<Subcommand> commands, String word) {
        return commands.stream().map(Subcommand::name).filter(n -> n.startsWith(word + " ")).toList();
    }

    /** Longest match first, so "bench gemm" wins over a plain "bench". */
    private static Subcommand find(List<Subcommand> commands, String[] args) {
        Subcommand best = null;
        int bestWords = 0;
        for (Subcommand c : commands) {
            String[] words = c.name().split(" ");
            if (words.length > args.length || words.length <= bestWords) continue;
            if (Arrays.equals(words, Arrays.copyOf(args, words.length))) {
                best = c;
                bestWords = words.length;
            }
        }
        return best;
    }

    private static void printUsage(List<Subcommand> commands, PrintStream out) {
        out.println("usage: resumo <command> [flags]    (resumo <command> --help for its flags)");
        out.println();
        out.println("commands:");
        for (Subcommand c : commands) {
            out.printf("  %-18s %s%n", c.name(), c.summary());
        }
    }

    private static void printHelp(Subcommand command, PrintStream out) {
        PrintWriter w = new PrintWriter(out, true);
        HelpFormatter f = HelpFormatter.builder().get();
        Options options = command.options();
        options.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
        f.printHelp(w, 100, command.usage(), command.summary(), options, 2, 2, "", false);
        w.flush();
    }
}
