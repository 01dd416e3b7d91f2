package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standard output as `resumo` writes it: a write that fails (full disk, closed descriptor) is an
 * error, not exit 0; and the bytes are UTF-8 whatever the locale's charset (LANG=C wrote '?').
 */
class StandardOutputTest {
    /** Standard output on a full disk: every write fails as FileOutputStream's does on /dev/full. */
    private static final OutputStream FULL_DISK = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }
    };

    private static String[] run(PrintStream out, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aFailedStandardOutputIsAnErrorWithTheReason() {
        String[] r = run(StandardStream.utf8(FULL_DISK), "version");
        assertEquals("2", r[0], r[1]);
        assertEquals("resumo version: cannot write standard output (No space left on device)\n", r[1]);

        r = run(StandardStream.utf8(FULL_DISK), "help");
        assertEquals("2", r[0], "help, printed before any command runs, too: " + r[1]);
        assertTrue(r[1].startsWith("resumo: cannot write standard output"), r[1]);
    }

    /** `resumo ... | head`: the reader left; quiet, with the status of a tool killed by SIGPIPE. */
    @Test
    void aClosedPipeEndsQuietlyWithTheStatusOfSigpipe() {
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        String[] r = run(StandardStream.utf8(closedPipe), "version");
        assertEquals("141", r[0], r[1]);
        assertEquals("", r[1]);
    }

    @Test
    void anyPrintStreamThatFailedIsCheckedEvenWithoutAReason() {
        String[] r = run(new PrintStream(FULL_DISK, true, StandardCharsets.UTF_8), "version");
        assertEquals("2", r[0], r[1]);
        assertEquals("resumo version: cannot write standard output (write error)\n", r[1]);
    }

    /** The JVM's command line for `resumo args...` in a fresh JVM, with main() and its real standard streams. */
    private static List<String> resumo(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                // The charset of LANG=C: the JVM's own System.out would write '?' for every non-ASCII character.
                "-Dstdout.encoding=US-ASCII", "-Dstderr.encoding=US-ASCII",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void standardOutputIsUtf8WhateverTheLocalesCharset(@TempDir Path dir) throws Exception {
        Path spiece = SmallSpieceModel.path();
        Path out = dir.resolve("out.jsonl");
        Process p = new ProcessBuilder(resumo("tokenize", "--tokenizer", spiece.toString(), "--text", "o governo"))
                .redirectOutput(out.toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "resumo tokenize did not finish");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("err.txt")));
        byte[] bytes = Files.readAllBytes(out);
        // Every piece that begins a word starts with U+2581 (▁), E2 96 81 in UTF-8.
        String line = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(line.contains("\"\u2581"), line);
        assertArrayEquals(line.getBytes(StandardCharsets.UTF_8), bytes, "valid UTF-8 throughout");
        assertTrue(!line.contains("?"), line);
    }

    @Test
    void writingToAFullDeviceFailsTheCommand(@TempDir Path dir) throws Exception {
        File full = new File("/dev/full");
        assumeTrue(full.exists() && full.canWrite(), "skipped: no writable /dev/full");
        Process p = new ProcessBuilder(resumo("version")).redirectOutput(full).redirectError(dir.resolve("err.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "resumo version did not finish");
        String err = Files.readString(dir.resolve("err.txt"));
        assertEquals(2, p.exitValue(), err);
        assertTrue(err.contains("resumo version: cannot write standard output (No space left on device)"), err);
    }
}
