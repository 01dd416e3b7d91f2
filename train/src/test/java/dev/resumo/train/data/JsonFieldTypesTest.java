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
 * A text or summary that is a JSON array or object (a list of sentences, several references) was
 * written out as JSON text and trained on, brackets and quotes included. It is rejected, saying
 * which field; a number is still read as the text it is written as.
 */
class JsonFieldTypesTest {
    @Test
    void arraysAndObjectsAreRejectedNotTrainedOnAsJsonText(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.jsonl");
        Files.writeString(file, """
                {"id":"list","text":["Frase um.","Frase dois."],"summary":"Um"}
                {"id":"refs","text":"Texto dois.","summary":["Dois","Outro"]}
                {"id":"obj","text":{"pt":"Texto três."},"summary":"Três"}
                {"id":"num","text":2024,"summary":"Ano"}
                """);
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)));
        assertEquals(List.of(new Example("num", "2024", "Ano")), d.train());
        assertEquals(List.of(
                "d.jsonl:1: malformed (field 'text' is an array, not a string (join or pick its parts into one string))",
                "d.jsonl:2: malformed (field 'summary' is an array, not a string (join or pick its parts into one string))",
                "d.jsonl:3: malformed (field 'text' is an object, not a string (join or pick its parts into one string))"),
                d.report().rejected().stream().map(Rejection::describe).toList());
    }

    /** A missing column names the fields the row has: "Text" vs "text" or "article" vs "text" shows at once. */
    @Test
    void aMissingColumnNamesTheFieldsTheRowHas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.jsonl");
        Files.writeString(file, "{\"Text\":\"Texto.\",\"Summary\":\"Resumo.\"}\n");
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(file, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().endsWith("first: d.jsonl:1: missing_column (no field 'text' (its fields: Text, Summary))"), e.getMessage());
    }
}
