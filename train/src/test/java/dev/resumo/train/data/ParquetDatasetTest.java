package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --dataset data.parquet}: the loader reads Parquet rows through the columns, rejections and
 * splits JSON lines go through. parquet/expected.jsonl holds the same rows as every variant
 * (written by make_parquet_fixtures.py from one table), so the two loads must agree row for row.
 */
class ParquetDatasetTest {
    static Path parquet(String name) {
        try {
            return Path.of(ParquetDatasetTest.class.getResource("/parquet/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource parquet/" + name + " missing", e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none_plain_v1", "snappy_dict_v1", "gzip_dict_v2", "zstd_plain_v2", "zstd_delta_v2", "snappy_delta_v1",
            "lz4_raw_dict_v1", "snappy_dict_fallback_v1"})
    void aParquetFileLoadsAsTheSameRowsInJsonLinesDo(String variant) {
        Path file = parquet(variant + ".parquet");
        assertEquals(DatasetFormat.PARQUET, DatasetFormat.detect(file));
        Dataset fromParquet = DatasetLoader.load(file, DatasetOptions.DEFAULT);
        Dataset fromJsonl = DatasetLoader.load(parquet("expected.jsonl"), DatasetOptions.DEFAULT);
        assertEquals(fromJsonl.train(), fromParquet.train());
        assertEquals(fromJsonl.validation(), fromParquet.validation());
        assertEquals(fromJsonl.test(), fromParquet.test());
        assertEquals(fromJsonl.report().rejectedByReason(), fromParquet.report().rejectedByReason());
        // The same rejections at the same lines (the detail names the file: "same text as expected.jsonl:3").
        assertEquals(fromJsonl.report().rejected().stream().map(r -> r.line() + " " + r.reason() + " " + r.id() + " "
                        + r.detail().replace("expected.jsonl", "F")).toList(),
                fromParquet.report().rejected().stream().map(r -> r.line() + " " + r.reason() + " " + r.id() + " "
                        + r.detail().replace(variant + ".parquet", "F")).toList());

        // And what those are: ids from the int64 id column, splits from the split column, the
        // null/empty/blank cells and the duplicate rejected with their row numbers.
        assertEquals(List.of("1", "2", "3", "13", "14"), fromParquet.train().stream().map(Example::id).toList());
        assertEquals(List.of("8", "9"), fromParquet.validation().stream().map(Example::id).toList());
        assertEquals(List.of("10", "12"), fromParquet.test().stream().map(Example::id).toList());
        assertEquals("Ônibus elétrico em teste 🚌.", fromParquet.validation().get(0).summary());
        assertEquals(Map.of(RejectReason.EMPTY_TEXT, 2, RejectReason.EMPTY_SUMMARY, 2, RejectReason.DUPLICATE, 1),
                fromParquet.report().rejectedByReason());
        assertEquals(List.of(variant + ".parquet:4: empty_text", variant + ".parquet:5: empty_summary", variant + ".parquet:6: empty_summary",
                        variant + ".parquet:7: empty_text", variant + ".parquet:11: duplicate (same text as " + variant + ".parquet:3)"),
                fromParquet.report().rejected().stream().map(Rejection::describe).toList());
    }

    @Test
    void rejectedRowsAreWrittenAndStrictModeRefuses(@TempDir Path run) throws Exception {
        Path file = parquet("zstd_delta_v2.parquet");
        DatasetLoader.load(file, DatasetOptions.DEFAULT.withRunDir(run));
        List<String> rejected = Files.readAllLines(run.resolve(DatasetLoader.REJECTED_FILE));
        assertEquals("{\"file\":\"zstd_delta_v2.parquet\",\"line\":4,\"reason\":\"empty_text\",\"id\":\"4\",\"detail\":\"\"}", rejected.get(0));
        DatasetException strict = assertThrows(DatasetException.class, () -> DatasetLoader.load(file, DatasetOptions.DEFAULT.withStrict(true)));
        assertTrue(strict.getMessage().contains("first: zstd_delta_v2.parquet:4: empty_text"), strict.getMessage());
    }

    @Test
    void invalidUtf8RejectsItsRow() {
        Dataset d = DatasetLoader.load(parquet("bad_utf8.parquet"), DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)));
        assertEquals(List.of("Texto válido.", "Outro texto."), d.train().stream().map(Example::text).toList());
        assertEquals(List.of("bad_utf8.parquet:2: bad_encoding (column 'text' is not valid UTF-8)"),
                d.report().rejected().stream().map(Rejection::describe).toList());
        assertEquals(List.of("bad_utf8.parquet:1", "bad_utf8.parquet:3"), d.train().stream().map(Example::id).toList());
    }

    @Test
    void columnsAreChosenByFlagAndMissingOnesNamed() {
        Columns cols = new Columns("summary", "raw", "id", "split");
        Dataset d = DatasetLoader.load(parquet("types_v1.parquet"), DatasetOptions.DEFAULT.withColumns(cols).withRatio(new SplitPlan(0, 0, 1)));
        assertEquals(List.of(new Example("types_v1.parquet:1", "Um.", "bytes sem anotação")), d.train());
        assertEquals(Map.of(RejectReason.EMPTY_SUMMARY, 2), d.report().rejectedByReason());

        DatasetException missing = assertThrows(DatasetException.class, () -> DatasetLoader.load(parquet("types_v1.parquet"),
                DatasetOptions.DEFAULT.withColumns(Columns.DEFAULT.withText("texto"))));
        assertTrue(missing.getMessage().contains("types_v1.parquet: no column 'texto' among the file's columns [text, summary, n32,"),
                missing.getMessage());
        assertTrue(missing.getMessage().contains("--text-column"), missing.getMessage());
    }

    /** JSON lines refuses a number where a string belongs; a Parquet column of numbers or booleans is refused as a whole. */
    @Test
    void aTextOrSummaryColumnOfNumbersIsRefused() {
        DatasetException text = assertThrows(DatasetException.class, () -> DatasetLoader.load(parquet("types_v1.parquet"),
                DatasetOptions.DEFAULT.withColumns(Columns.DEFAULT.withText("u64"))));
        assertTrue(text.getMessage().contains("types_v1.parquet: column 'u64' holds INT64 numbers, not text (its columns: text, summary,"),
                text.getMessage());
        assertTrue(text.getMessage().endsWith("choose the column with --text-column)"), text.getMessage());
        DatasetException summary = assertThrows(DatasetException.class, () -> DatasetLoader.load(parquet("types_v1.parquet"),
                DatasetOptions.DEFAULT.withColumns(new Columns("text", "f64", "id", "split"))));
        assertTrue(summary.getMessage().contains("column 'f64' holds DOUBLE numbers, not text"), summary.getMessage());
        assertTrue(summary.getMessage().endsWith("choose the column with --summary-column)"), summary.getMessage());
    }

    @Test
    void aListAsTheTextColumnIsRefusedNamingIt() {
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(parquet("list_text.parquet"), DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().endsWith("list_text.parquet: column 'text' is a list; Resumo reads flat string columns"
                + " (join or pick its parts into one string column first)"), e.getMessage());
    }

    @Test
    void splitFilesInParquet() {
        Dataset d = DatasetLoader.loadSplitFiles(List.of(parquet("hub/train-00000-of-00002.parquet"), parquet("hub/train-00001-of-00002.parquet")),
                List.of(parquet("hub/validation-00000-of-00001.parquet")), List.of(), DatasetOptions.DEFAULT.withStrict(true));
        assertEquals(List.of("Zero um.", "Zero dois.", "Um um."), d.train().stream().map(Example::summary).toList());
        assertEquals(List.of("train-00000-of-00002.parquet:1", "train-00000-of-00002.parquet:2", "train-00001-of-00002.parquet:1"),
                d.train().stream().map(Example::id).toList());
        assertEquals("Texto de validação.", d.validation().get(0).text());
        assertTrue(d.test().isEmpty());
    }

    @Test
    void rowsOfSeveralFilesAreNamedByTheirPathUnderTheDatasetFolder(@TempDir Path dir) throws Exception {
        // The hub's Parquet conversion names every split's first part 0000.parquet: by file name alone
        // a train row and a validation row would read the same in ids and rejected.jsonl.
        Path train = Files.createDirectories(dir.resolve("default/train")).resolve("0000.parquet");
        Path validation = Files.createDirectories(dir.resolve("default/validation")).resolve("0000.parquet");
        Files.copy(parquet("hub/train-00000-of-00002.parquet"), train);
        Files.copy(parquet("hub/validation-00000-of-00001.parquet"), validation);
        Dataset d = DatasetLoader.loadSplitFiles(List.of(train), List.of(validation), List.of(), DatasetOptions.DEFAULT.withStrict(true));
        assertEquals(List.of("train/0000.parquet:1", "train/0000.parquet:2"), d.train().stream().map(Example::id).toList());
        assertEquals(List.of("validation/0000.parquet:1"), d.validation().stream().map(Example::id).toList());
    }

    @Test
    void parquetNamesAreLocalFilesNotHubIds() {
        assertFalse(HubDatasets.isHubId("data/train.parquet"));
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetFormat.detect(Path.of("no/such/file.parquet")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertEquals(DatasetFormat.PARQUET, DatasetFormat.parse("parquet"));
    }
}
