package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.Option;
import org.junit.jupiter.api.Test;

class MainTest {
    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void helpListsEveryCommand() {
        CliRun r = run("help");
        assertEquals(0, r.code());
        for (Subcommand c : Commands.all()) {
            assertTrue(r.out().contains(c.name()), "help should list " + c.name() + ":\n" + r.out());
        }
    }

    @Test
    void helpOnAnUnknownCommandIsAnError() {
        CliRun r = run("help", "nope");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("unknown command 'nope'"), r.err());
        assertEquals(0, run("help", "bench").code()); // a group: the usage lists its commands
        assertEquals(0, run("help", "bench", "gemm").code());
        assertEquals(0, run("help", "help").code()); // help on help: the usage
        assertEquals(0, run("help", "--help").code());
    }

    @Test
    void unknownCommandIsOneLineError() {
        CliRun r = run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown command 'frobnicate'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    /** `resumo bench` was "unknown command 'bench'"; it names the group's commands instead. */
    @Test
    void aCommandGroupAloneListsItsCommands() {
        CliRun r = run("bench");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'bench' is not a command; bench has: "), r.err());
        for (Subcommand c : Commands.all()) {
            if (c.name().startsWith("bench ")) assertTrue(r.err().contains(c.name()), r.err());
        }
        assertTrue(run("bench", "nosuch").err().contains("bench has: bench gemm"), "an unknown second word too");
    }

    @Test
    void unknownFlagIsOneLineErrorNamingTheCommand() {
        CliRun r = run("version", "--bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("resumo version:"), r.err());
        assertTrue(r.err().contains("--bogus") || r.err().contains("bogus"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    /** commons-cli keeps the first of two values and never checks the second; here that is an error. */
    @Test
    void aFlagGivenTwiceIsAnError() {
        CliRun r = run("tokenize", "--tokenizer", "nowhere", "--text", "a", "--text", "b");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--text is given twice ('a' and 'b')"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        // A switch repeated changes nothing and stays accepted.
        assertEquals(0, run("version", "--help", "--help").code());
    }

    /** An unquoted --text Olá mundo used to encode "Olá" and drop "mundo" silently. */
    @Test
    void aStrayWordAfterTheFlagsIsAnError() {
        CliRun r = run("tokenize", "--tokenizer", "nowhere", "--text", "Olá", "mundo");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("unexpected argument 'mundo'"), r.err());
        assertTrue(r.err().contains("needs quotes, e.g. --text \"Olá mundo\""), r.err());
        CliRun version = run("version", "extra");
        assertEquals(2, version.code(), version.err());
        assertTrue(version.err().contains("unexpected argument 'extra': this command takes only flags"), version.err());
        // fetch takes its repository as a word: the check leaves it to the command.
        CliRun fetch = run("fetch", "org/one", "org/two");
        assertEquals(2, fetch.code(), fetch.err());
        assertTrue(fetch.err().contains("exactly one repository"), fetch.err());
    }

    @Test
    void versionPrintsVersionAndVectorWidth() {
        CliRun r = run("version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("resumo "), r.out());
        assertTrue(r.out().contains("vector species"), r.out());
        for (String flag : new String[] {"--version", "-V"}) {
            CliRun f = run(flag);
            assertEquals(0, f.code(), flag + ": " + f.err());
            assertEquals(r.out(), f.out(), flag + " prints what `resumo version` prints");
        }
    }

    /** The convention that lets `resumo CMD --help` document every default, switches included. */
    @Test
    void everyFlagStatesItsDefault() {
        List<String> silent = new ArrayList<>();
        for (Subcommand c : Commands.all()) {
            for (Option o : c.options().getOptions()) {
                if ("help".equals(o.getLongOpt())) continue;
                String d = o.getDescription() == null ? "" : o.getDescription();
                if (!d.contains("default") && !d.contains("required")) silent.add("resumo " + c.name() + " --" + o.getLongOpt() + ": '" + d + "'");
            }
            CliRun r = run((c.name() + " --help").split(" "));
            assertEquals(0, r.code(), c.name() + " --help");
            assertTrue(r.out().contains("usage: resumo " + c.name()), r.out());
        }
        assertTrue(silent.isEmpty(), "flags that must say their default or that they are required:\n" + String.join("\n", silent));
    }

    /** A usage line says what kind of argument a flag takes: train's were all "<VALUE>". */
    @Test
    void argumentNamesSayWhatTheyTake() {
        List<String> vague = new ArrayList<>();
        for (Subcommand c : Commands.all()) {
            for (Option o : c.options().getOptions()) {
                if (o.hasArg() && ("VALUE".equals(o.getArgName()) || o.getArgName() == null || "arg".equals(o.getArgName()))) {
                    vague.add("resumo " + c.name() + " --" + o.getLongOpt());
                }
            }
        }
        assertTrue(vague.isEmpty(), "flags whose argument is shown as <VALUE> or <arg>:\n" + String.join("\n", vague));
    }

    /** The ceilings the commands enforce are the ones their --help states (bench serve has its own, smaller one). */
    @Test
    void lengthFlagsStateTheirCeiling() {
        String newTokens = "at most " + dev.resumo.t5.generate.GenerationConfig.MAX_NEW_TOKENS_LIMIT;
        String sequence = "at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH;
        String beams = "at most " + dev.resumo.t5.generate.GenerationConfig.MAX_NUM_BEAMS;
        List<String> silent = new ArrayList<>();
        int checked = 0;
        for (Subcommand c : Commands.all()) {
            if (c.name().startsWith("bench")) continue;
            for (Option o : c.options().getOptions()) {
                String ceiling = switch (o.getLongOpt()) {
                    case "max-new-tokens", "max-new-tokens-limit" -> newTokens;
                    case "max-source-length", "max-target-length" -> sequence;
                    case "num-beams", "max-beams-limit" -> beams;
                    default -> null;
                };
                if (ceiling == null) continue;
                checked++;
                if (!o.getDescription().contains(ceiling)) silent.add("resumo " + c.name() + " --" + o.getLongOpt() + ": '" + o.getDescription() + "'");
            }
        }
        assertTrue(checked >= 18, "length flags found: " + checked);
        assertTrue(silent.isEmpty(), "flags that must state their ceiling:\n" + String.join("\n", silent));
    }

    /**
     * A file name no file can have (here a NUL; under LANG=C any non-ASCII name) was an "internal
     * error" with Java's stack trace, from whichever command met it: one line naming the name instead.
     */
    @Test
    void anImpossibleFileNameIsAUserErrorNamingIt() {
        String[][] lines = {
            {"convert", "--input", "in\0.bin", "--output", "out.safetensors"},
            {"summarize", "--model", "nowhere", "--input", "in\0.jsonl"},
        };
        for (String[] line : lines) {
            CliRun r = run(line);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("resumo " + line[0] + ": cannot use the file name 'in\\0."), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        }
    }
}
