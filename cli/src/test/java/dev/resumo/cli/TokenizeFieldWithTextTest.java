package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo tokenize --text ... --field body` tokenized the text and ignored --field without a word;
 * summarize refuses the same mistake (--text-column with --text), so tokenize does too.
 */
class TokenizeFieldWithTextTest {
    @TempDir Path dir;

    @Test
    void fieldWithTextIsRefusedNamingBothFlags() throws Exception {
        Path spiece = dir.resolve("spiece.model");
        try (InputStream in = getClass().getResourceAsStream("/dev/resumo/train/demo/spiece.model")) {
            Files.copy(in, spiece);
        }
        CliRun run = CliRun.run("tokenize", "--tokenizer", spiece.toString(), "--text", "Olá", "--field", "body");
        assertEquals(2, run.code(), run.err());
        assertEquals("resumo tokenize: --field names a field of --input rows; it does nothing with --text", run.err().strip());
        assertTrue(run.out().isEmpty(), run.out());
    }
}
