package dev.resumo.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * data/dirty.jsonl, line by line: 1 ok (train); 2 empty text; 3 whitespace-only summary;
 * 4 duplicate of 1 (case and spacing differ); 5 ok (test); 6 train copy of 5 (full-width digits,
 * equal after NFKC) = leaked; 7 invalid UTF-8; 8 bad JSON; 9 blank (skipped); 10 ok (validation);
 * 11 split "holdout"; 12 no summary field; 13 ok (train).
 */
class DirtyDataTest {
    static final Map<RejectReason, Integer> EXPECTED = Map.of(
            RejectReason.EMPTY_TEXT, 1, RejectReason.EMPTY_SUMMARY, 1, RejectReason.DUPLICATE, 1,
            RejectReason.LEAKED, 1, RejectReason.BAD_ENCODING, 1, RejectReason.MALFORMED, 1,
            RejectReason.UNKNOWN_SPLIT, 1, RejectReason.MISSING_COLUMN, 1);

    @Test
    void countsEveryRejectionByReasonAndKeepsTheRest(@TempDir Path run) throws IOException {
        Dataset d = DatasetLoader.load(Fixtures.resource("dirty.jsonl"), DatasetOptions.DEFAULT.withRunDir(run));
        assertEquals(List.of("a1", "a10"), d.train().stream().map(Example::id).toList());
        assertEquals(List.of("v1"), d.validation().stream().map(Example::id).toList());
        assertEquals(List.of("t1"), d.test().stream().map(Example::id).toList());
        assertEquals(EXPECTED, d.report().rejectedByReason());
        assertEquals("kept train 2, validation 1, test 1; rejected 8 (1 empty_text, 1 empty_summary, 1 bad_encoding, "
                + "1 malformed, 1 missing_column, 1 unknown_split, 1 duplicate, 1 leaked)", d.report().summary());

        // rejected.jsonl: one line per rejection, in file/line order, with the reason.
        List<String> lines = Files.readAllLines(run.resolve(DatasetLoader.REJECTED_FILE));
        assertEquals(8, lines.size());
        ObjectMapper json = new ObjectMapper();
        long[] expectedLines = {2, 3, 4, 6, 7, 8, 11, 12};
        String[] expectedReasons = {"empty_text", "empty_summary", "duplicate", "leaked", "bad_encoding", "malformed", "unknown_split", "missing_column"};
        for (int i = 0; i < lines.size(); i++) {
            JsonNode r = json.readTree(lines.get(i));
            assertEquals("dirty.jsonl", r.get("file").asText());
            assertEquals(expectedLines[i], r.get("line").asLong());
            assertEquals(expectedReasons[i], r.get("reason").asText());
        }
        JsonNode leaked = json.readTree(lines.get(3));
        assertTrue(leaked.get("detail").asText().contains("test row dirty.jsonl:5"), leaked.toString());
    }

    @Test
    void malformedLineIsReportedWithFileAndLine() {
        Dataset d = DatasetLoader.load(Fixtures.resource("dirty.jsonl"), DatasetOptions.DEFAULT);
        Rejection bad = d.report().rejected().stream().filter(r -> r.reason() == RejectReason.MALFORMED).findFirst().orElseThrow();
        assertTrue(bad.describe().startsWith("dirty.jsonl:8: malformed (bad JSON"), bad.describe());
    }

    @Test
    void strictModeTurnsAnyRejectionIntoAnError(@TempDir Path run) {
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.load(Fixtures.resource("dirty.jsonl"), DatasetOptions.DEFAULT.withStrict(true).withRunDir(run)));
        assertTrue(e.getMessage().contains("strict mode") && e.getMessage().contains("dirty.jsonl:2: empty_text"), e.getMessage());
        assertTrue(Files.exists(run.resolve(DatasetLoader.REJECTED_FILE)), "rejected.jsonl is written before failing");
    }

    @Test
    void wrongColumnNameIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.jsonl");
        Files.writeString(f, "{\"texto\": \"um\", \"resumo\": \"dois\"}\n");
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(f, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().contains("'text'") && e.getMessage().contains("--text-column"), e.getMessage());
        Dataset ok = DatasetLoader.load(f, DatasetOptions.DEFAULT.withColumns(Columns.DEFAULT.withText("texto").withSummary("resumo")));
        assertEquals("um", ok.train().get(0).text());
    }

    @Test
    void normalizedFingerprintIgnoresCaseSpacingAndCompatibilityForms() {
        assertEquals(TextFingerprint.of("Olá  MUNDO\n ２０２６"), TextFingerprint.of("olá mundo 2026"));
        assertTrue(!TextFingerprint.of("olá mundo").equals(TextFingerprint.of("ola mundo")), "accents matter");
    }
}
