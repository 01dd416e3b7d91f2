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
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommand() {
        Result r = run("help");
        assertEquals(0, r.code());
        for (Subcommand c : Commands.all()) {
            assertTrue(r.out().contains(c.name()), "help should list " + c.name() + ":\n" + r.out());
        }
    }

    @Test
    void unknownCommandIsOneLineError() {
        Result r = run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown command 'frobnicate'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void unknownFlagIsOneLineErrorNamingTheCommand() {
        Result r = run("version", "--bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("resumo version:"), r.err());
        assertTrue(r.err().contains("--bogus") || r.err().contains("bogus"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void versionPrintsVersionAndVectorWidth() {
        Result r = run("version");
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
            Result r = run((c.name() + " --help").split(" "));
            assertEquals(0, r.code(), c.name() + " --help");
            assertTrue(r.out().contains("usage: resumo " + c.name()), r.out());
        }
    }
}
