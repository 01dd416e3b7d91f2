package dev.resumo.cli;

import dev.resumo.t5.BlankText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blank texts and summaries (whitespace of any kind, or only invisible characters such as U+200B)
 * are refused alike by summarize (--text and --input rows) and score (either field), naming file:line.
 */
class BlankTextRowsTest {
    @TempDir
    static Path dir;
    private static Path model;

    /** Whitespace and invisible-only strings, each a JSON string literal body. */
    private static final String[] BLANKS = {"   ", "\\u200B", "\\u200B\\u200C\\u200D", "\\u2060\\uFEFF", "\\u00A0\\u202F", "\\t\\n"};

    @BeforeAll
    static void tinyModel() throws Exception {
        model = TinyRandomModel.create(dir);
    }

    @Test
    void blankHelperCoversUnicodeWhitespaceAndInvisibles() {
        for (String s : new String[] {"", " ", "\u200B", "\u200C\u200D", "\u2060", "\uFEFF", "\u00A0", "\u3000", " \u200B\t"}) {
            assertTrue(BlankText.isBlank(s), "blank: " + s.codePoints().mapToObj(Integer::toHexString).toList());
        }
        for (String s : new String[] {"a", "\u200Ba", ".", "\uD83D\uDE00"}) assertFalse(BlankText.isBlank(s), s);
    }

    @Test
    void summarizeRefusesInvisibleOnlyText() throws Exception {
        CliRun r = CliRun.run("summarize", "--model", model.toString(), "--text", "\u200B\u200B");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--text must not be blank"), r.err());

        Path in = dir.resolve("zw.jsonl");
        Files.writeString(in, "{\"text\": \"ok text\"}\n{\"text\": \"\\u200B\"}\n");
        CliRun rows = CliRun.run("summarize", "--model", model.toString(), "--input", in.toString());
        assertEquals(2, rows.code(), rows.err());
        assertTrue(rows.err().contains(in + ":2: \"text\" is blank; there is nothing to summarize"), rows.err());
    }

    @Test
    void scoreRefusesBlankTextsAndSummariesNamingLineAndField() throws Exception {
        for (String blank : BLANKS) {
            Path in = dir.resolve("score.jsonl");
            Files.writeString(in, "{\"text\": \"um texto\", \"summary\": \"um resumo\"}\n"
                    + "{\"text\": \"" + blank + "\", \"summary\": \"resumo\"}\n");
            CliRun text = CliRun.run("score", "--model", model.toString(), "--input", in.toString());
            assertEquals(2, text.code(), blank + ": " + text.out() + text.err());
            assertTrue(text.err().contains(in + ":2: \"text\" is blank; there is nothing to score"), text.err());
            assertEquals("", text.out(), "nothing written before the refusal");

            Files.writeString(in, "{\"text\": \"um texto\", \"summary\": \"um resumo\"}\n"
                    + "{\"text\": \"texto\", \"summary\": \"" + blank + "\"}\n");
            CliRun summary = CliRun.run("score", "--model", model.toString(), "--input", in.toString());
            assertEquals(2, summary.code(), blank + ": " + summary.out() + summary.err());
            assertTrue(summary.err().contains(in + ":2: \"summary\" is blank; there is nothing to score"), summary.err());
        }
        Path ok = dir.resolve("ok.jsonl");
        Files.writeString(ok, "{\"text\": \"um texto\", \"summary\": \"um resumo\"}\n");
        CliRun scored = CliRun.run("score", "--model", model.toString(), "--input", ok.toString());
        assertEquals(0, scored.code(), scored.err());
        assertTrue(scored.out().contains("\"loss\""), scored.out());
    }
}
