package dev.resumo.train.rouge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resumo.train.data.DataFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pairing by "id": an id that is an array or object read as "" (Jackson's asText), so the second
 * such row was reported as "id \"\" repeats line 1"; it is named for what it is. Numbers pair with
 * the same number written as a string, as before.
 */
class SummaryPairsIdTest {
    @Test
    void anArrayIdIsNamedNotCalledARepeatOfTheEmptyId(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.jsonl"), r = dir.resolve("r.jsonl");
        Files.writeString(p, "{\"id\":[\"a\"],\"summary\":\"um\"}\n{\"id\":[\"b\"],\"summary\":\"dois\"}\n");
        Files.writeString(r, "{\"id\":\"a\",\"summary\":\"um\"}\n{\"id\":\"b\",\"summary\":\"dois\"}\n");
        DataFileException e = assertThrows(DataFileException.class, () -> SummaryPairs.read(p, r, "summary"));
        assertEquals(p + ":1: \"id\" is an array, not a string or number", e.getMessage());
    }

    @Test
    void numericIdsPairWithTheirStrings(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.jsonl"), r = dir.resolve("r.jsonl");
        Files.writeString(p, "{\"id\":2,\"summary\":\"dois\"}\n{\"id\":1,\"summary\":\"um\"}\n");
        Files.writeString(r, "{\"id\":\"1\",\"summary\":\"UM\"}\n{\"id\":\"2\",\"summary\":\"DOIS\"}\n");
        SummaryPairs pairs = SummaryPairs.read(p, r, "summary");
        assertEquals(List.of("2", "1"), pairs.ids());
        assertEquals(List.of("DOIS", "UM"), pairs.references());
    }
}
