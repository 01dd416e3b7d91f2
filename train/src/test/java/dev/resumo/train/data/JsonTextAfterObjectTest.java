package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jackson's readTree stops after the first value of a line and ignores the rest: two rows written
 * on one line, or a stray brace after a row, lost data without a word. Such a line is malformed.
 */
class JsonTextAfterObjectTest {
    @Test
    void twoRowsOnOneLineAreRejectedNotHalfRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.jsonl");
        Files.writeString(file, """
                {"id":"a","text":"Texto um.","summary":"Um"} {"id":"b","text":"Texto dois.","summary":"Dois"}
                {"id":"c","text":"Texto três.","summary":"Três"}}
                {"id":"d","text":"Texto quatro.","summary":"Quatro"}
                """);
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)));
        assertEquals(List.of("d"), d.train().stream().map(Example::id).toList());
        assertEquals(2, d.report().rejectedCount(RejectReason.MALFORMED), d.report().summary());
        Rejection first = d.report().rejected().get(0);
        assertEquals(1, first.line());
        assertTrue(first.detail().contains("text after the JSON value at column 46"), first.detail());
    }

    @Test
    void predictionsFileWithTwoRowsOnALineIsAnError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.jsonl");
        Files.writeString(file, "{\"summary\":\"um\"}\n{\"summary\":\"dois\"}{\"summary\":\"três\"}\n");
        DataFileException e = assertThrows(DataFileException.class, () -> JsonLinesFile.read(file, "predictions"));
        assertTrue(e.getMessage().startsWith(file + ":2: not valid JSON (text after the JSON value at column 19"), e.getMessage());
    }
}
