package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
    void unknownCommandIsOneLineError() {
        CliRun r = run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown command 'frobnicate'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void unknownFlagIsOneLineErrorNamingTheCommand() {
        CliRun r = run("version", "--bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("resumo version:"), r.err());
        assertTrue(r.err().contains("--bogus") || r.err().contains("bogus"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void versionPrintsVersionAndVectorWidth() {
        CliRun r = run("version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("resumo "), r.out());
        assertTrue(r.out().contains("vector species"), r.out());
    }

    /** The convention that lets `resumo CMD --help` document every default. */
    @Test
    void everyFlagWithAValueStatesItsDefault() {
        for (Subcommand c : Commands.all()) {
            for (Option o : c.options().getOptions()) {
                if (!o.hasArg()) continue;
                String d = o.getDescription() == null ? "" : o.getDescription();
                assertTrue(d.contains("default") || d.contains("required"),
                        "resumo " + c.name() + " --" + o.getLongOpt() + " must say its default or that it is required: '" + d + "'");
            }
            CliRun r = run((c.name() + " --help").split(" "));
            assertEquals(0, r.code(), c.name() + " --help");
            assertTrue(r.out().contains("usage: resumo " + c.name()), r.out());
        }
    }
}
