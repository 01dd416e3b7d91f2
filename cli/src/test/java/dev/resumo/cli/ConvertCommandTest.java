package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Dtype;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.io.SafetensorsFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) {
        return Path.of(System.getProperty("resumo.root", ".."), "engine", "src", "test", "resources", "torch", name);
    }

    static CliRun resumo(String... args) {
        return CliRun.run(args);
    }

    @Test
    void convertsTorchBinToSafetensorsDroppingTiedNames() {
        Path output = dir.resolve("model.safetensors");
        CliRun r = resumo("convert", "--input", fixture("state_dict.bin").toString(), "--output", output.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("left out tied names: {lm_head.weight=embed.weight}"), r.out());
        Map<String, Tensor> twin = Safetensors.readAll(fixture("state_dict.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(output)) {
            assertEquals("pt", f.metadata().get("format"), "transformers needs format=pt");
            assertEquals(twin.size() - 1, f.names().size());
            for (String name : f.names()) {
                assertEquals(Dtype.F32, f.info(name).dtype());
                assertArrayEquals(twin.get(name).toArray(), f.load(name).toArray(), 0f, name);
            }
        }
    }

    @Test
    void keepTiedOutputIsByteIdenticalToSafetensorsSaveFile() throws java.io.IOException {
        // The twin was written by Python's safetensors.save_file (format=pt) from the same tensors as float32.
        Path output = dir.resolve("same.safetensors");
        CliRun r = resumo("convert", "--input", fixture("state_dict.bin").toString(), "--output", output.toString(), "--keep-tied");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(fixture("state_dict.safetensors")), Files.readAllBytes(output));
    }

    /** A safetensors file named .bin is read as safetensors (by its first bytes), not refused as a broken torch zip. */
    @Test
    void aSafetensorsFileWithATorchNameIsReadByItsContent() throws java.io.IOException {
        Path renamed = Files.copy(fixture("state_dict.safetensors"), dir.resolve("pytorch_model.bin"));
        Path output = dir.resolve("back.safetensors");
        CliRun r = resumo("convert", "--input", renamed.toString(), "--output", output.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(fixture("state_dict.safetensors")), Files.readAllBytes(output));
        assertFalse(ConvertCommand.looksLikeSafetensors(fixture("state_dict.bin")), "a torch zip is not taken for safetensors");
    }

    /** Whitespace before the header's '{' (safetensors accepts it, and so does the reader) does not hide the format. */
    @Test
    void aSafetensorsHeaderStartingWithWhitespaceIsRecognised() throws java.io.IOException {
        byte[] original = Files.readAllBytes(fixture("state_dict.safetensors"));
        long headerLength = java.nio.ByteBuffer.wrap(original, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        // the same file with a space put before the '{' and the length one longer
        byte[] spaced = new byte[original.length + 1];
        java.nio.ByteBuffer.wrap(spaced, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(headerLength + 1);
        spaced[8] = ' ';
        System.arraycopy(original, 8, spaced, 9, original.length - 8);
        Path renamed = Files.write(dir.resolve("pytorch_model.bin"), spaced);
        assertTrue(ConvertCommand.looksLikeSafetensors(renamed));
        Path output = dir.resolve("back.safetensors");
        CliRun r = resumo("convert", "--input", renamed.toString(), "--output", output.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(original, Files.readAllBytes(output));
    }

    @Test
    void bf16OutputAndUserErrors() {
        Path output = dir.resolve("m.safetensors");
        CliRun r = resumo("convert", "--input", fixture("state_dict.bin").toString(), "--output", output.toString(),
                "--dtype", "bf16", "--keep-tied");
        assertEquals(0, r.code(), r.err());
        try (SafetensorsFile f = SafetensorsFile.open(output)) {
            assertEquals(Dtype.BF16, f.info("lm_head.weight").dtype());
        }
        CliRun exists = resumo("convert", "--input", fixture("state_dict.bin").toString(), "--output", output.toString());
        assertEquals(2, exists.code());
        assertTrue(exists.err().contains("already exists; add --force"), exists.err());

        CliRun badDtype = resumo("convert", "--input", fixture("state_dict.bin").toString(), "--output",
                dir.resolve("x.safetensors").toString(), "--dtype", "f8");
        assertEquals(2, badDtype.code());
        assertTrue(badDtype.err().contains("--dtype f8: must be f32 or bf16"), badDtype.err());

        CliRun evil = resumo("convert", "--input", fixture("malicious.bin").toString(), "--output",
                dir.resolve("y.safetensors").toString());
        assertEquals(2, evil.code());
        assertTrue(evil.err().contains("refusing pickle global os.system") && !evil.err().contains("\tat "), evil.err());
        assertTrue(!Files.exists(dir.resolve("y.safetensors")), "nothing written for a refused input");
    }

    /**
     * A FIFO (or a device: as root, `--output /dev/full --force` replaced the device node) is refused
     * as every other command refuses it; --force replaces files, not what is not one.
     */
    @Test
    void aFifoOutputIsRefusedEvenWithForce() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "skipped: mkfifo failed");
        CliRun r = resumo("convert", "--input", fixture("state_dict.bin").toString(), "--output", fifo.toString(), "--force");
        assertEquals(2, r.code(), r.err());
        assertEquals("resumo convert: --output " + fifo + " is not a regular file; give a file name\n", r.err());
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo) && !Files.isSymbolicLink(fifo), "the FIFO is left as it was");
        try (var names = Files.list(dir)) {
            assertEquals(1, names.count(), "nothing written beside it");
        }
    }

    /** --force on a symbolic link writes the file it names; the link stays a link. */
    @Test
    void aSymlinkOutputIsWrittenThrough() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real")).resolve("model.safetensors");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.safetensors"), Path.of("real", "model.safetensors"));
        CliRun r = resumo("convert", "--input", fixture("state_dict.bin").toString(), "--output", link.toString(), "--keep-tied", "--force");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertArrayEquals(Files.readAllBytes(fixture("state_dict.safetensors")), Files.readAllBytes(real));
    }
}
