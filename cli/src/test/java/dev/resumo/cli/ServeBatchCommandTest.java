package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.serve.ServeConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `resumo serve` flags and tokens, `resumo batch` user errors: one line each, naming the input. */
class ServeBatchCommandTest {
    private static CommandLine serveLine(String... args) throws Exception {
        return new DefaultParser().parse(new ServeCommand().options(), args);
    }

    @Test
    void tokensFromFileAndEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# comment\n\n  alpha  \nbeta\n");
        assertEquals(List.of("alpha", "beta", "gamma", "delta"), ApiTokens.read(file.toString(), "gamma, delta,"));
        assertEquals(List.of(), ApiTokens.read(null, null));
        UserError missing = assertThrows(UserError.class, () -> ApiTokens.read(dir.resolve("nope").toString(), null));
        assertTrue(missing.getMessage().startsWith("--token-file "), missing.getMessage());
        Files.writeString(file, "# only a comment\n");
        assertTrue(assertThrows(UserError.class, () -> ApiTokens.read(file.toString(), null)).getMessage().contains("no token"));
    }

    @Test
    void serveFlagsBecomeTheConfigAndBadValuesNameTheFlag() throws Exception {
        ServeConfig c = ServeCommand.config(serveLine("--port", "0", "--max-batch", "4", "--timeout", "2.5", "--no-truncate",
                "--max-queue", "9", "--max-body-bytes", "1000", "--max-connections", "7", "--idle-timeout", "1.5"));
        assertEquals(7, c.maxConnections());
        assertEquals(1500, c.idleTimeoutMs());
        assertEquals(ServeConfig.DEFAULT_MAX_CONNECTIONS, ServeCommand.config(serveLine()).maxConnections());
        assertEquals(ServeConfig.DEFAULT_IDLE_TIMEOUT_MS, ServeCommand.config(serveLine()).idleTimeoutMs());
        assertEquals(0, c.port());
        assertEquals(4, c.maxBatch());
        assertEquals(2500, c.timeoutMs());
        assertFalse(c.truncate());
        assertEquals(9, c.maxQueue());
        assertEquals(1000, c.maxBodyBytes());
        assertEquals(ServeConfig.DEFAULT_MAX_WAIT_MS, ServeCommand.config(serveLine()).maxWaitMs());
        for (String[] bad : List.of(new String[] {"--port", "70000"}, new String[] {"--max-batch", "0"},
                new String[] {"--timeout", "0"}, new String[] {"--max-body-bytes", "-1"}, new String[] {"--max-wait-ms", "x"},
                new String[] {"--max-connections", "0"}, new String[] {"--idle-timeout", "0"}, new String[] {"--idle-timeout", "0.0001"},
                new String[] {"--idle-timeout", "1e9"})) {
            UserError e = assertThrows(UserError.class, () -> ServeCommand.config(serveLine(bad)));
            assertTrue(e.getMessage().startsWith(bad[0]), bad[0] + " named: " + e.getMessage());
        }
        // A duration past int milliseconds is refused in the user's own words, for every duration flag.
        for (String flag : List.of("--timeout", "--idle-timeout", "--shutdown-grace")) {
            UserError e = assertThrows(UserError.class, () -> ServeCommand.config(serveLine(flag, "99999999999")));
            assertEquals(flag + ": at most 2147483 seconds, got 99999999999", e.getMessage());
        }
    }

    @Test
    void batchNeedsItsInputsAndNamesUnknownRunners() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {"batch", "--model", "m", "--input", "i"}, out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--output is required"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        // A misspelt runner: unknown in every build, while FlinkRunner itself is known in a -Pflink one.
        assertEquals(2, Main.run(new String[] {"batch", "--model", "m", "--input", "i", "--output", "o", "--runner", "FlinkRuner"},
                out, errStream));
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.contains("FlinkRuner") && msg.contains("-Pflink"), msg);
        assertFalse(msg.contains("\tat "), "no stack trace: " + msg);
    }

    /** A missing model folder or an input that matches nothing is one line, at once (no pipeline run). */
    @Test
    void batchChecksModelFolderAndInputBeforeRunning(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        CliRun noModel = CliRun.run("batch", "--model", dir.resolve("nope").toString(), "--input", "x.jsonl", "--output", dir.resolve("o").toString());
        assertEquals(2, noModel.code(), noModel.err());
        assertTrue(noModel.err().contains("--model " + dir.resolve("nope") + ": no such folder"), noModel.err());
        for (String input : new String[] {dir.resolve("missing.jsonl").toString(), dir.resolve("*.jsonl").toString()}) {
            CliRun r = CliRun.run("batch", "--model", model.toString(), "--input", input, "--output", dir.resolve("o").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--input " + input + ": matches no file"), r.err());
        }
    }
}
