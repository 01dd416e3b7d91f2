package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `summarize --input` and `score --input` read a Parquet file as they read JSON lines: one result
 * per row, in order, the same results as for the same rows in JSON lines, and the same one-line
 * errors (a null or blank text, a missing column). Fixtures: train's, made by
 * train/src/test/resources/parquet/make_parquet_fixtures.py.
 */
class ParquetInputTest {
    private static final Path FIXTURES = Path.of("..", "train", "src", "test", "resources", "parquet");
    private static Path model;
    private static Path spiece;

    @BeforeAll
    static void locate() {
        String shared = System.getProperty("resumo.shared");
        Path root = shared == null ? null : Path.of(shared);
        model = root == null ? null : root.resolve("golden/t5-v1_0-tiny");
        spiece = root == null ? null : root.resolve("models/ptt5-portuguese-vocab/spiece.model");
    }

    private static void needShared() {
        assumeTrue(model != null && Files.isRegularFile(model.resolve("model.safetensors")) && Files.isRegularFile(spiece),
                "../shared golden model or PTT5 spiece.model absent: Parquet --input test skipped");
    }

    private static CliRun run(String command, Path input, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(command, "--model", model.toString(), "--tokenizer", spiece.toString(),
                "--input", input.toString(), "--max-new-tokens", "5"));
        if (command.equals("score")) args.remove("--max-new-tokens"); // score has no generation flags
        if (command.equals("score")) args.remove("5");
        args.addAll(List.of(more));
        return CliRun.run(args.toArray(String[]::new));
    }

    @Test
    void aParquetInputGivesTheResultsItsRowsGiveAsJsonLines(@TempDir Path dir) throws Exception {
        needShared();
        Path parquet = FIXTURES.resolve("hub/train-00000-of-00002.parquet"); // two rows: text, summary
        Path jsonl = dir.resolve("same.jsonl");
        // The same rows as JSON lines, written from what the Parquet reader returns for them.
        StringBuilder lines = new StringBuilder();
        for (String[] row : JsonlRows.read(parquet, "text", "summary")) {
            lines.append(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("text", row[0]).put("summary", row[1]))
                    .append('\n');
        }
        Files.writeString(dir.resolve("same.jsonl"), lines);
        assertEquals(2, lines.toString().lines().count());

        CliRun fromParquet = run("summarize", parquet), fromJsonl = run("summarize", jsonl);
        assertEquals(0, fromParquet.code(), fromParquet.err());
        assertEquals(0, fromJsonl.code(), fromJsonl.err());
        assertEquals(fromJsonl.out(), fromParquet.out());
        assertEquals(2, fromParquet.out().strip().lines().count());

        CliRun scoredParquet = run("score", parquet), scoredJsonl = run("score", jsonl);
        assertEquals(0, scoredParquet.code(), scoredParquet.err());
        assertEquals(scoredJsonl.out(), scoredParquet.out());
    }

    @Test
    void nullTextsAndMissingColumnsAreOneLineErrors() {
        needShared();
        // none_plain_v1 holds a null text among its rows (make_parquet_fixtures.py, ROWS).
        Path withNull = FIXTURES.resolve("none_plain_v1.parquet");
        CliRun nulls = run("summarize", withNull);
        assertEquals(2, nulls.code(), nulls.err());
        assertTrue(nulls.err().contains("none_plain_v1.parquet:") && nulls.err().contains("\"text\" is null, not a string"), nulls.err());
        assertEquals(1, nulls.err().strip().lines().count(), nulls.err());

        CliRun missing = run("summarize", withNull, "--text-column", "texto");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("none_plain_v1.parquet: no column 'texto' (its columns: id, text, summary, split, tags, meta;"
                + " choose the column with --text-column)"), missing.err());

        CliRun list = run("summarize", withNull, "--text-column", "tags");
        assertEquals(2, list.code(), list.err());
        assertTrue(list.err().contains("column 'tags' is a list"), list.err());
    }
}
