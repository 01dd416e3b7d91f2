package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo tokenize --input` and `resumo detokenize --input` end lines as the dataset readers and the
 * other --input commands do, as Python's universal newlines: '\n', "\r\n" or a lone '\r'. They split on
 * '\n' only, so a file saved with classic Mac line ends was one line ("not valid JSON" after the first
 * object). Output lines end in '\n' whatever the input's line ends were.
 */
class TokenizeLineEndsTest {
    private static final String[] TEXTS = {"{\"text\": \"o governo disse não\"}", "{\"text\": \"a cidade, ação!\"}", "{\"text\": \"fim\"}"};

    @TempDir
    Path dir;

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private static CliRun tokenize(Path in) {
        return CliRun.run("tokenize", "--tokenizer", SmallSpieceModel.path().toString(), "--input", in.toString());
    }

    private static CliRun detokenize(Path in) {
        return CliRun.run("detokenize", "--tokenizer", SmallSpieceModel.path().toString(), "--input", in.toString());
    }

    @Test
    void everyLineEndGivesTheOutputOfNewlines() throws Exception {
        CliRun expected = tokenize(file("lf.jsonl", String.join("\n", TEXTS) + "\n"));
        assertEquals(0, expected.code(), expected.err());
        assertEquals(3, expected.out().split("\n", -1).length - 1, "three rows, each ended by \\n: " + expected.out());
        Path ids = file("ids-lf.jsonl", expected.out());
        CliRun texts = detokenize(ids);
        assertEquals(0, texts.code(), texts.err());
        String[][] cases = {
            {"crlf", String.join("\r\n", TEXTS) + "\r\n"},
            {"cr", String.join("\r", TEXTS) + "\r"},
            {"mixed", TEXTS[0] + "\r\n" + TEXTS[1] + "\r" + TEXTS[2] + "\n"},
            {"no final line end", String.join("\r", TEXTS)},
            {"blank lines of each kind", "\r\n" + TEXTS[0] + "\r\r" + TEXTS[1] + "\n\r\n" + TEXTS[2]},
        };
        for (String[] c : cases) {
            CliRun r = tokenize(file(c[0].replace(' ', '-') + ".jsonl", c[1]));
            assertEquals(0, r.code(), c[0] + ": " + r.err());
            assertEquals(expected.out(), r.out(), c[0]);
            String idLines = expected.out().strip();
            String withEnds = c[0].equals("crlf") ? idLines.replace("\n", "\r\n") : c[0].equals("mixed") ? idLines.replaceFirst("\n", "\r")
                    : idLines.replace("\n", "\r");
            CliRun back = detokenize(file("ids-" + c[0].replace(' ', '-') + ".jsonl", withEnds));
            assertEquals(0, back.code(), c[0] + ": " + back.err());
            assertEquals(texts.out(), back.out(), c[0]);
        }
    }

    @Test
    void anEmptyFileGivesNoLines() throws Exception {
        for (CliRun r : new CliRun[] {tokenize(file("empty.jsonl", "")), detokenize(file("empty-ids.jsonl", ""))}) {
            assertEquals(0, r.code(), r.err());
            assertEquals("", r.out());
        }
    }

    /** Errors name the line as a reader of universal newlines counts it (the third here, after two lone CRs). */
    @Test
    void errorsNameTheLineCountedWithLoneCarriageReturns() throws Exception {
        CliRun r = tokenize(file("bad.jsonl", TEXTS[0] + "\r" + TEXTS[1] + "\r{\"text\": \r"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("resumo tokenize: " + dir.resolve("bad.jsonl") + " line 3: not valid JSON"), r.err());
        CliRun ids = detokenize(file("bad-ids.jsonl", "{\"ids\": [1]}\r\n{\"ids\": [1]}\r{\"ids\": 1}"));
        assertEquals(2, ids.code(), ids.err());
        assertEquals("resumo detokenize: " + dir.resolve("bad-ids.jsonl") + " line 3: no \"ids\" array", ids.err().strip());
    }
}
