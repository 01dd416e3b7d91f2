package dev.resumo.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a safetensors file can lie gets refused on open with a message naming file and tensor. */
class CorruptSafetensorsTest {
    @TempDir
    Path dir;

    /** 8-byte little-endian header length, the header, the data. */
    static byte[] fileBytes(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private void assertRefused(byte[] bytes, String... fragments) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, bytes);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().contains("bad.safetensors"), "names the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    void shorterThanTheLengthField() throws IOException {
        assertRefused(new byte[] {1, 2, 3}, "truncated", "3 bytes");
    }

    @Test
    void headerLongerThanTheFile() throws IOException {
        byte[] ok = fileBytes("{" + entry("w", "F32", "[2]", 0, 8) + "}", new byte[8]);
        byte[] cut = java.util.Arrays.copyOf(ok, 20);
        assertRefused(cut, "truncated", "runs past the end");
    }

    @Test
    void dataTruncated() throws IOException {
        assertRefused(fileBytes("{" + entry("w", "F32", "[4]", 0, 16) + "}", new byte[8]),
                "'w'", "run past the end of the data section");
    }

    @Test
    void headerLengthOverTheCap() throws IOException {
        byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000L).array();
        assertRefused(bytes, "header length 200000000", "limit");
    }

    @Test
    void headerNotJson() throws IOException {
        assertRefused(fileBytes("{\"w\":{\"dtype\":\"F32\",", new byte[0]), "not valid JSON");
        assertRefused(fileBytes("[1,2]", new byte[0]), "does not start with '{'");
        assertRefused(fileBytes("{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}",
                new byte[8]), "duplicate key \"w\"");
    }

    @Test
    void whitespaceBeforeTheHeaderIsAcceptedAsTheReferenceAcceptsIt() throws IOException {
        // safetensors 0.8's load_file reads these (measured with weights-tools/fuzz_checkpoint_parity.py,
        // st-crafted kind 1); Resumo refused them with "does not start with '{'".
        for (String lead : new String[] {" ", "\t", "\n", "\r\n  "}) {
            Path file = dir.resolve("lead.safetensors");
            byte[] data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).array();
            Files.write(file, fileBytes(lead + "{" + entry("w", "F32", "[1]", 0, 4) + "}", data));
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                assertEquals(1.5f, f.load("w").toArray()[0], "the value stored after the header");
            }
        }
        assertRefused(fileBytes("  [1,2]", new byte[0]), "does not start with '{'");
        assertRefused(fileBytes("   ", new byte[0]), "does not start with '{'");
    }

    @Test
    void unknownDtype() throws IOException {
        assertRefused(fileBytes("{" + entry("w", "F12", "[1]", 0, 4) + "}", new byte[4]), "'w'", "unknown dtype \"F12\"");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        assertRefused(fileBytes("{" + entry("w", "F32", "[1]", 8, 4) + "}", new byte[8]), "'w'", "end before they begin");
        assertRefused(fileBytes("{" + entry("w", "F32", "[1]", -4, 0) + "}", new byte[8]), "'w'", "non-negative");
        assertRefused(fileBytes("{" + entry("w", "F32", "[-1]", 0, 4) + "}", new byte[8]), "'w'", "non-negative");
    }

    @Test
    void overlappingTensors() throws IOException {
        String header = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}";
        assertRefused(fileBytes(header, new byte[12]), "'b'", "overlap", "'a'");
    }

    @Test
    void sizeMismatch() throws IOException {
        assertRefused(fileBytes("{" + entry("w", "BF16", "[3,2]", 0, 8) + "}", new byte[8]),
                "'w'", "size mismatch", "needs 12 bytes", "hold 8");
    }

    @Test
    void holesAndTrailingBytes() throws IOException {
        String hole = "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}";
        assertRefused(fileBytes(hole, new byte[12]), "[4, 8)", "belong to no tensor", "'b'");
        assertRefused(fileBytes("{" + entry("a", "F32", "[1]", 0, 4) + "}", new byte[6]), "[4, 6)", "after the last tensor");
    }
}
