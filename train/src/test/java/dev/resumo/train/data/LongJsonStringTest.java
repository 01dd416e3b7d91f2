package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jackson caps one JSON string at 20M characters by default: a longer text (a book) is valid JSON
 * that Python's json and pandas read, and was rejected as "bad JSON". CSV has no such cap either.
 */
class LongJsonStringTest {
    @Test
    void aTextOverTwentyMillionCharactersIsRead(@TempDir Path dir) throws Exception {
        int length = 20_000_001;
        Path file = dir.resolve("book.jsonl");
        StringBuilder row = new StringBuilder(length + 64).append("{\"text\":\"");
        row.repeat('a', length).append("\",\"summary\":\"Um livro.\"}\n");
        Files.writeString(file, row);
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)).withStrict(true));
        assertEquals(length, d.train().get(0).text().length());
    }
}
