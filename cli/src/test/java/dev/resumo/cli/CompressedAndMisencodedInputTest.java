package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON-lines inputs of rouge, score/summarize and tokenize as users have them: gzip-compressed
 * (pandas reads data.jsonl.gz, and so does `resumo train`; these said "not UTF-8 text" or advised
 * --replace-invalid) and saved as Windows-1252 (they said "not UTF-8 text", naming no line and no fix).
 */
class CompressedAndMisencodedInputTest {
    private static final String PREDICTIONS = "{\"id\":\"a\",\"summary\":\"O governo anunciou um pacote.\"}\n"
            + "{\"id\":\"b\",\"summary\":\"Não é possível prever.\"}\n";

    @TempDir
    Path dir;

    @Test
    void rougeReadsGzippedJsonLinesAsThePlainFile() throws Exception {
        Path plain = dir.resolve("p.jsonl"), gz = dir.resolve("p.jsonl.gz");
        Files.writeString(plain, PREDICTIONS);
        Files.write(gz, gzip(PREDICTIONS));
        CliRun fromPlain = CliRun.run("rouge", "--predictions", plain.toString(), "--references", plain.toString(), "--json");
        CliRun fromGz = CliRun.run("rouge", "--predictions", gz.toString(), "--references", plain.toString(), "--json");
        assertEquals(0, fromGz.code(), fromGz.err());
        assertEquals(fromPlain.out(), fromGz.out());
    }

    @Test
    void aWindows1252LineIsNamedWithItsByteAndTheFix() throws Exception {
        Path refs = dir.resolve("r.jsonl");
        Files.write(refs, PREDICTIONS.getBytes(Charset.forName("windows-1252")));
        Path preds = dir.resolve("p.jsonl");
        Files.writeString(preds, PREDICTIONS);
        CliRun rouge = CliRun.run("rouge", "--predictions", preds.toString(), "--references", refs.toString());
        assertOneLineError(rouge, refs + ":2: invalid UTF-8: byte 0xE3 at byte 23 of the line", "iconv -f windows-1252");
        // score reads its --input before it loads the model: the input's error comes first.
        CliRun score = CliRun.run("score", "--model", dir.resolve("no-model").toString(), "--input", refs.toString(),
                "--summary-column", "summary", "--text-column", "id");
        assertOneLineError(score, refs + ":2: invalid UTF-8: byte 0xE3", "iconv -f windows-1252");
    }

    @Test
    void tokenizeReadsGzippedInput() throws Exception {
        Path model = SmallSpieceModel.path();
        String rows = "{\"text\":\"o presidente\"}\n";
        Path plain = dir.resolve("t.jsonl"), gz = dir.resolve("t.jsonl.gz");
        Files.writeString(plain, rows);
        Files.write(gz, gzip(rows));
        CliRun fromPlain = CliRun.run("tokenize", "--tokenizer", model.toString(), "--input", plain.toString());
        CliRun fromGz = CliRun.run("tokenize", "--tokenizer", model.toString(), "--input", gz.toString());
        assertEquals(0, fromGz.code(), fromGz.err());
        assertEquals(fromPlain.out(), fromGz.out());
    }

    /** A CSV given where JSON lines are read: the error says so, not only "Unrecognized token 'id'". */
    @Test
    void aCsvInputIsNamedAsSuch() throws Exception {
        Path csv = dir.resolve("articles.csv");
        Files.writeString(csv, "id,text\n1,Um texto.\n");
        CliRun score = CliRun.run("score", "--model", dir.resolve("no-model").toString(), "--input", csv.toString());
        assertOneLineError(score, csv + ":1: not valid JSON", "named as CSV/TSV, and this reads JSON lines", "orient=\"records\"");
    }

    private static void assertOneLineError(CliRun r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "'" + f + "' missing from: " + r.err());
    }

    private static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
