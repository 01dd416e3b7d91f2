package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages that name what is actually wrong: a folder given as a file, a number too large rather than malformed. */
class ConvertAndLeadFlagMessagesTest {
    @TempDir Path dir;

    @Test
    void convertNamesAFolderGivenAsInputAsAFolder() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        CliRun r = CliRun.run("convert", "--input", model.toString(), "--output", dir.resolve("out.safetensors").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--input " + model + ": is a directory"), r.err());
    }

    @Test
    void baselineSaysAHugeLeadIsTooLargeNotMalformed() throws Exception {
        Path data = dir.resolve("d.jsonl");
        Files.writeString(data, "{\"text\":\"Uma frase. Outra.\",\"summary\":\"Uma frase.\",\"split\":\"test\"}\n");
        CliRun r = CliRun.run("baseline", "--dataset", data.toString(), "--lead", "99999999999");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--lead: '99999999999' is too large (at most 2147483647)"), r.err());
        CliRun negative = CliRun.run("baseline", "--dataset", data.toString(), "--lead", "-99999999999");
        assertTrue(negative.err().contains("--lead: expected a positive integer, got '-99999999999'"), negative.err());
    }
}
