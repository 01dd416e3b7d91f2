package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo batch --input '*.parquet'` end to end on a small random model: the summary lines of the
 * JSON-lines read of the same rows, byte for byte; a file the run cannot read as asked is one line
 * naming it, said before the model loads for local files and by the run for files only the workers
 * look into. Fixtures: batch/src/test/resources/parquet/make_batch_parquet_fixtures.py.
 */
class BatchParquetInputTest {
    private static final Path FIXTURES = Path.of("..", "batch", "src", "test", "resources", "parquet").toAbsolutePath().normalize();
    /** Every column type the Parquet reader knows (train/src/test/resources/parquet/make_parquet_fixtures.py). */
    private static final Path TYPES = Path.of("..", "train", "src", "test", "resources", "parquet", "types_v1.parquet")
            .toAbsolutePath().normalize();

    @TempDir
    static Path shared;
    private static Path model;

    @BeforeAll
    static void tinyModel() throws Exception {
        model = TinyRandomModel.create(shared);
    }

    private static CliRun batch(Path model, String input, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of("batch", "--model", model.toString(), "--input", input,
                "--output", output.toString(), "--max-new-tokens", "4", "--max-source-length", "32", "--batch-size", "4"));
        args.addAll(List.of(extra));
        return CliRun.run(args.toArray(String[]::new));
    }

    private static List<String> sortedLines(Path dir, String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                for (String l : Files.readAllLines(f)) if (!l.isBlank()) out.add(l);
            }
        }
        return out.stream().sorted().toList();
    }

    @Test
    void aParquetGlobGivesTheSummaryLinesOfTheSameRowsInJsonLines(@TempDir Path dir) throws Exception {
        CliRun parquet = batch(model, FIXTURES.resolve("corpus").resolve("*.parquet").toString(), dir.resolve("pq"));
        assertEquals(0, parquet.code(), parquet.err());
        CliRun jsonl = batch(model, FIXTURES.resolve("corpus.jsonl").toString(), dir.resolve("js"));
        assertEquals(0, jsonl.code(), jsonl.err());
        long rows = Files.readAllLines(FIXTURES.resolve("corpus.jsonl")).stream().filter(l -> !l.isBlank()).count();
        List<String> fromJsonl = sortedLines(dir, "js-summaries");
        assertEquals(rows, fromJsonl.size());
        assertEquals(fromJsonl, sortedLines(dir, "pq-summaries"));
        assertTrue(parquet.err().contains(rows + " rows: " + rows + " summarized, 0 dead letters"), parquet.err());

        CliRun dead = batch(model, FIXTURES.resolve("dead_letters.parquet").toString(), dir.resolve("dl"));
        assertEquals(0, dead.code(), dead.err());
        // make_batch_parquet_fixtures.py, DEAD_ROWS: two good rows, seven bad ones.
        assertTrue(dead.err().contains("9 rows: 2 summarized, 7 dead letters"), dead.err());
        assertEquals(7, sortedLines(dir, "dl-dead-letters").size());
    }

    /** The model folder is empty: were it loaded first, the error would be about the model. */
    @Test
    void aLocalFileWithoutTheColumnOrNotParquetIsOneLineBeforeTheModelLoads(@TempDir Path dir) throws Exception {
        Path noModel = Files.createDirectory(dir.resolve("empty-model"));
        Path part = FIXTURES.resolve("corpus").resolve("part-0.parquet");
        CliRun column = batch(noModel, part.toString(), dir.resolve("out"), "--text-column", "body");
        assertOneLine(column, 2, "resumo batch: " + part + ": no column 'body' (its columns: title, id, text, tags;"
                + " choose the text column with --text-column)");

        Path notParquet = Files.writeString(dir.resolve("rows.parquet"), "{\"id\": \"a\", \"text\": \"JSON under a Parquet name\"}\n");
        assertOneLine(batch(noModel, notParquet.toString(), dir.resolve("out")), 2,
                "resumo batch: " + notParquet + ": not a Parquet file (it does not start with 'PAR1')");

        CliRun asJson = batch(noModel, FIXTURES.resolve("corpus") + "/*", dir.resolve("out"));
        assertEquals(2, asJson.code(), asJson.err());
        assertTrue(asJson.err().startsWith("resumo batch: --input " + FIXTURES.resolve("corpus") + "/*: matches Parquet files (")
                && asJson.err().contains("(e.g. " + FIXTURES.resolve("corpus") + "/*.parquet)"), asJson.err());
    }

    /** A glob in a folder name is matched by Beam at run time: the workers find the problem, and say it as one line. */
    @Test
    void aFileOnlyTheRunLooksIntoIsOneLineToo(@TempDir Path dir) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("in-1"));
        Files.copy(FIXTURES.resolve("corpus").resolve("part-0.parquet"), sub.resolve("part.parquet"));
        String pattern = dir.resolve("in-*").resolve("*.parquet").toString();
        assertOneLine(batch(model, pattern, dir.resolve("col"), "--id-column", "key"), 2,
                "resumo batch: " + sub.resolve("part.parquet") + ": no column 'key' (its columns: title, id, text, tags;"
                        + " choose the id column with --id-column)");

        Files.writeString(sub.resolve("part.parquet"), "not parquet\n");
        assertOneLine(batch(model, pattern, dir.resolve("bad")), 2,
                "resumo batch: " + sub.resolve("part.parquet") + ": not a Parquet file (it does not start with 'PAR1')");
    }

    /**
     * A text column of numbers is the wrong column (JSON lines dead-letters a number where the text
     * belongs): refused with the file's name, at launch for a local file and by the workers for one
     * only the run lists. `resumo summarize` reads a Parquet --input by the same rule.
     */
    @Test
    void aTextColumnOfNumbersIsRefused(@TempDir Path dir) throws Exception {
        Path types = Files.copy(TYPES, dir.resolve("types.parquet"));
        String refused = types + ": column 'n32' holds INT32 numbers, not text (its columns: text, summary, n32, flag, f32, f64, u64,"
                + " price, raw, nothing, day; choose the column with --text-column)";
        assertOneLine(batch(model, types.toString(), dir.resolve("local"), "--text-column", "n32", "--id-column", "text"), 2,
                "resumo batch: " + refused);

        Path sub = Files.createDirectories(dir.resolve("in-1"));
        Path listed = Files.copy(TYPES, sub.resolve("types.parquet"));
        assertOneLine(batch(model, dir.resolve("in-*").resolve("*.parquet").toString(), dir.resolve("listed"), "--text-column", "price",
                "--id-column", "n32"), 2, "resumo batch: " + listed + ": column 'price' holds DECIMAL numbers, not text (its columns:"
                + " text, summary, n32, flag, f32, f64, u64, price, raw, nothing, day; choose the column with --text-column)");

        CliRun summarize = CliRun.run("summarize", "--model", model.toString(), "--input", types.toString(), "--text-column", "flag",
                "--max-new-tokens", "2");
        assertOneLine(summarize, 2, "resumo summarize: " + types + ": column 'flag' holds booleans, not text (its columns: text,"
                + " summary, n32, flag, f32, f64, u64, price, raw, nothing, day; choose the column with --text-column)");
    }

    private static void assertOneLine(CliRun r, int code, String line) {
        assertEquals(code, r.code(), r.err());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals(line, last, r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    }
}
