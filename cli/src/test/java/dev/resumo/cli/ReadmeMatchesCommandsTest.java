package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.cli.Option;
import org.junit.jupiter.api.Test;

/**
 * The READMEs against the commands, as a newcomer meets them: every subcommand has a command line in
 * README.md (a docs audit found `version`, `tokenize`, `detokenize` and `convert` in no command line
 * there), and every flag a README writes after `resumo COMMAND` is a flag of that command, so a renamed
 * flag cannot leave a copied command line failing.
 */
class ReadmeMatchesCommandsTest {
    private static final Path ROOT = Path.of(System.getProperty("resumo.root", "..")).toAbsolutePath().normalize();

    @Test
    void everySubcommandHasACommandLineInTheReadme() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> missing = Commands.all().stream().map(Subcommand::name)
                .filter(name -> !Pattern.compile("bin/resumo " + Pattern.quote(name) + "(?![\\w-])").matcher(readme).find())
                .toList();
        assertEquals(List.of(), missing, "subcommands of `resumo --help` with no `bin/resumo NAME` line in README.md");
    }

    @Test
    void everyFlagAfterResumoCommandInAReadmeExists() throws IOException {
        List<Subcommand> commands = new ArrayList<>(Commands.all());
        // "bench gemm" before a one-word name that could prefix it.
        commands.sort(Comparator.comparingInt((Subcommand c) -> c.name().length()).reversed());
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path readme : readmes()) {
            // A command line continued with a backslash is one line.
            String[] lines = Files.readString(readme).replace("\\\n", " ").split("\n");
            for (int i = 0; i < lines.length; i++) {
                Matcher m = Pattern.compile("resumo ([a-z]+(?: [a-z]+)?)").matcher(lines[i]);
                while (m.find()) {
                    Subcommand command = commandAt(commands, m.group(1));
                    if (command == null) continue;
                    String rest = lines[i].substring(m.start() + "resumo ".length() + command.name().length());
                    // The command line ends at a comment, the end of inline code, or Beam's own options after --.
                    rest = rest.split("`|#| -- ", 2)[0];
                    Set<String> known = new TreeSet<>(List.of("--help"));
                    for (Option o : command.options().getOptions()) known.add("--" + o.getLongOpt());
                    Matcher flag = Pattern.compile("(?<![\\w-])--[a-z0-9][a-z0-9-]*").matcher(rest);
                    while (flag.find()) {
                        checked++;
                        if (!known.contains(flag.group())) {
                            wrong.add(ROOT.relativize(readme) + ":" + (i + 1) + ": resumo " + command.name() + " has no " + flag.group());
                        }
                    }
                }
            }
        }
        assertTrue(checked > 100, "the READMEs' command lines were not found (" + checked + " flags) under " + ROOT);
        assertEquals(List.of(), wrong);
    }

    @Test
    void commandsThatTakeWordsShowThemInTheirUsageLine() {
        for (Subcommand c : Commands.all()) {
            if (c.takesArguments()) assertNotEquals("resumo " + c.name() + " [flags]", c.usage(), c.name());
        }
        String help = CliRun.run("fetch", "--help").out();
        assertTrue(help.startsWith("usage: resumo fetch [flags] ORG/NAME"), help);
    }

    private static Subcommand commandAt(List<Subcommand> commands, String words) {
        for (Subcommand c : commands) {
            if (words.equals(c.name()) || words.startsWith(c.name() + " ")) return c;
        }
        return null;
    }

    /** README.md and every module's README.md. */
    private static List<Path> readmes() throws IOException {
        List<Path> all = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> dirs = Files.list(ROOT)) {
            dirs.map(d -> d.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(all::add);
        }
        assertTrue(Files.isRegularFile(all.getFirst()), "no README.md under " + ROOT);
        return all;
    }
}
