package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertTrue(exists.err().contains("already exists (add --force"), exists.err());

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
}
