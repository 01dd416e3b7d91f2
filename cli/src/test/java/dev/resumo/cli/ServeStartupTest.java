package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `resumo serve` refuses bad flags before it listens and blames the host or the port rightly; generation's ceiling on the CLI. */
class ServeStartupTest {
    @Test
    void badFlagsAreRefusedBeforeListening(@TempDir Path model) {
        CliRun r = CliRun.run("serve", "--model", model.toString(), "--port", "0", "--max-source-length", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--max-source-length"), r.err());
        assertFalse(r.err().contains("listening on"), "reported after listening: " + r.err());
        CliRun limit = CliRun.run("serve", "--model", model.toString(), "--port", "0", "--max-new-tokens-limit", "99999999");
        assertEquals(2, limit.code(), limit.err());
        assertTrue(limit.err().contains("--max-new-tokens-limit: must be in [1, 16384], got 99999999"), limit.err());
    }

    @Test
    void anUnresolvableHostIsBlamedNotThePort(@TempDir Path model) {
        CliRun r = CliRun.run("serve", "--model", model.toString(), "--host", "999.1.1.1", "--port", "18940");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--host 999.1.1.1: "), r.err());
        assertFalse(r.err().contains("--port"), r.err());
        assertFalse(r.err().contains("listening on"), r.err());
    }

    @Test
    void aPortInUseIsBlamedOnThePort(@TempDir Path model) throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRun r = CliRun.run("serve", "--model", model.toString(), "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--port " + taken.getLocalPort() + ": cannot listen on 127.0.0.1"), r.err());
        }
    }

    @Test
    void summarizeRefusesMaxNewTokensAboveTheCeilingInOneLine() {
        Path shared = Path.of(System.getProperty("resumo.shared", "../shared"));
        Path model = shared.resolve("golden/t5-v1_0-tiny");
        Path spiece = shared.resolve("models/ptt5-portuguese-vocab/spiece.model");
        assumeTrue(Files.isRegularFile(model.resolve("model.safetensors")) && Files.isRegularFile(spiece),
                "../shared golden model or PTT5 spiece.model absent: test skipped");
        CliRun r = CliRun.run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(), "--text", "O governo anunciou.",
                "--max-new-tokens", "99999999");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--max-new-tokens: must be in [1, 16384], got 99999999"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    /** Answers named the model by its --model argument: a local model's full path went to every client. */
    @Test
    void aLocalModelIsNamedByItsFolderNotItsPath(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("srv").resolve("ptt5-sum"));
        assertEquals("ptt5-sum", ServeCommand.publicName(model.toString()));
        assertEquals("ptt5-sum", ServeCommand.publicName(model.resolve("..").resolve("ptt5-sum").toString()));
        assertFalse(ServeCommand.publicName(model.toString()).contains(dir.toString()));
        assertEquals("unicamp-dl/ptt5-small-portuguese-vocab@main", ServeCommand.publicName("unicamp-dl/ptt5-small-portuguese-vocab@main"),
                "a hub id is public already");
    }
}
