package dev.resumo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken, truncated or foreign tokenizer files give one-line TokenizerExceptions naming the file. */
class BadFilesTest {
    @TempDir
    Path dir;

    private String failure(Path file) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> T5Tokenizer.load(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void truncatedModelAtEveryCutIsReported() throws Exception {
        byte[] model = Files.readAllBytes(ReferenceRows.resourcePath("small/spiece.model"));
        Path file = dir.resolve("spiece.model");
        int checked = 0;
        for (int cut = 1; cut < model.length; cut += 97) {
            Files.write(file, Arrays.copyOf(model, cut));
            try {
                T5Tokenizer.load(file);
                // A cut exactly between fields can leave a valid but smaller model; it must still work.
            } catch (TokenizerException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            }
            checked++;
        }
        Files.write(file, Arrays.copyOf(model, model.length / 2));
        assertTrue(failure(file).contains("is not a SentencePiece model"));
        assertTrue(checked > 10);
    }

    @Test
    void foreignFilesAreReported() throws Exception {
        Path text = dir.resolve("notes.model");
        Files.writeString(text, "these are notes, not a model\n");
        assertTrue(failure(text).contains("is not a SentencePiece model"), failure(text));
        Path zeros = dir.resolve("zeros.model");
        Files.write(zeros, new byte[64]);
        failure(zeros);
    }

    @Test
    void unsupportedOrBrokenTokenizerJsonIsReported() throws Exception {
        Path bpe = dir.resolve("tokenizer.json");
        Files.writeString(bpe, "{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}");
        assertTrue(failure(bpe).contains("'BPE' is not supported"));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"model\": ", StandardCharsets.UTF_8);
        assertTrue(failure(broken).contains("is not valid JSON"));
    }

    @Test
    void missingPathsAreReported() throws Exception {
        assertTrue(failure(dir.resolve("nope.model")).contains("does not exist"));
        assertTrue(failure(dir).contains("holds neither spiece.model nor tokenizer.json"));
    }

    @Test
    void directoryLoadingPrefersSpieceModel() throws Exception {
        Files.copy(ReferenceRows.resourcePath("small/spiece.model"), dir.resolve("spiece.model"));
        T5Tokenizer fromDir = T5Tokenizer.load(dir);
        assertEquals(T5Tokenizer.load(ReferenceRows.resourcePath("small/spiece.model")).vocabSize(), fromDir.vocabSize());
    }
}
