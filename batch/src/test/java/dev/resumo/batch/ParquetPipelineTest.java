package dev.resumo.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.parquet.ParquetFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `--input *.parquet` on the DirectRunner: the rows of every row group of every matched file come
 * out once, as the same rows in JSON lines do; bad rows are dead letters naming FILE:ROW; a file
 * the pipeline cannot read as asked fails the job naming it. Fixtures: parquet/make_batch_parquet_fixtures.py.
 */
class ParquetPipelineTest {
    static Path fixture(String name) throws Exception {
        var url = ParquetPipelineTest.class.getResource("/parquet/" + name);
        assertNotNull(url, "test resource parquet/" + name);
        return Path.of(url.toURI());
    }

    private static PipelineResult run(String input, Path out, String... extra) {
        BatchOptions o = BeamPipelineTest.options(input, out.toString(), extra);
        PipelineResult result = SummarizePipeline.build(o, new BeamPipelineTest.FakeLoader("parquet")).run();
        assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
        return result;
    }

    /** The output files' lines, sorted: the shards hold rows in no particular order. */
    private static List<String> lines(Path dir, String prefix) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                for (String l : Files.readAllLines(f)) if (!l.isBlank()) out.add(l);
            }
        }
        return out.stream().sorted().toList();
    }

    @Test
    void aGlobOfParquetFilesGivesWhatTheSameRowsInJsonLinesGive(@TempDir Path dir) throws Exception {
        Path corpus = fixture("corpus");
        int groups = 0, files = 0;
        try (Stream<Path> parts = Files.list(corpus)) {
            for (Path part : parts.toList()) {
                try (ParquetFile f = ParquetFile.open(part)) {
                    groups += f.rowGroupCount();
                    files++;
                }
            }
        }
        assertTrue(files > 1 && groups > files, "several files with several row groups: " + files + " files, " + groups + " groups");

        PipelineResult fromParquet = run(corpus.resolve("*.parquet").toString(), dir.resolve("pq"), "--batchSize=3",
                "--targetParallelism=4");
        run(fixture("corpus.jsonl").toString(), dir.resolve("js"), "--batchSize=3");
        List<String> parquet = lines(dir, "pq-summaries"), jsonl = lines(dir, "js-summaries");
        long rows = Files.readAllLines(fixture("corpus.jsonl")).stream().filter(l -> !l.isBlank()).count();
        assertEquals(rows, jsonl.size(), "every JSON line summarized");
        assertEquals(jsonl, parquet, "the same summary lines, ids typed alike (int64 → number, string → string)");
        assertEquals(List.of(), lines(dir, "pq-dead-letters"));
        BatchCounts counts = BatchCounts.of(fromParquet);
        assertEquals(rows, counts.rows());
        assertEquals(rows, counts.summarized());
        assertEquals(0, counts.deadLetters());
        assertTrue(parquet.stream().anyMatch(l -> l.startsWith("{\"id\":1")), "an int64 id is a JSON number: " + parquet);
        assertTrue(parquet.stream().anyMatch(l -> l.startsWith("{\"id\":\"a")), "a string id is a JSON string: " + parquet);
    }

    @Test
    void badRowsAreDeadLettersNamingFileRowAndReason(@TempDir Path dir) throws Exception {
        Path file = fixture("dead_letters.parquet");
        PipelineResult result = run(file.toString(), dir.resolve("out"), "--batchSize=2");
        List<JsonNode> summaries = BeamPipelineTest.readAll(dir, "out-summaries");
        Map<String, JsonNode> deadByRow = new HashMap<>();
        for (JsonNode d : BeamPipelineTest.readAll(dir, "out-dead-letters")) {
            String input = d.get("input").asText();
            assertTrue(input.startsWith(file + ":"), "the input names the file: " + d);
            String row = input.substring(file.toString().length() + 1, input.indexOf(": {"));
            assertEquals(null, deadByRow.put(row, d), "row " + row + " dead-lettered once");
        }
        // make_batch_parquet_fixtures.py, DEAD_ROWS: rows 1 and 9 are good, 2 to 8 each bad in one way.
        assertEquals(List.of("d1", "d9"), summaries.stream().map(s -> s.get("id").asText()).sorted().toList());
        assertEquals(7, deadByRow.size(), deadByRow.toString());
        assertReason(deadByRow.get("2"), null, "\"id\" (the id column) is null");
        assertReason(deadByRow.get("3"), null, "\"id\" (the id column) is empty");
        assertReason(deadByRow.get("4"), "d4", "\"text\" (the text column) is blank");
        assertReason(deadByRow.get("5"), "d5", "\"text\" (the text column) is blank");
        assertReason(deadByRow.get("6"), "d6", "\"text\" (the text column) is null");
        assertReason(deadByRow.get("7"), "d7", "\"text\" (the text column) is not valid UTF-8");
        assertReason(deadByRow.get("8"), null, "\"id\" (the id column) is not valid UTF-8");
        // The row as read follows its place: a JSON object of the two columns.
        assertEquals(file + ":6: {\"id\":\"d6\",\"text\":null}", deadByRow.get("6").get("input").asText());
        assertTrue(deadByRow.get("7").get("input").asText().contains("Texto inv\uFFFDlido"), deadByRow.get("7").toString());
        BatchCounts counts = BatchCounts.of(result);
        assertEquals(9, counts.rows());
        assertEquals(2, counts.summarized());
        assertEquals(7, counts.deadLetters());
    }

    private static void assertReason(JsonNode dead, String id, String reason) {
        assertNotNull(dead);
        assertTrue(dead.get("reason").asText().startsWith(reason), dead.toString());
        if (id == null) assertFalse(dead.has("id"), "a row without a usable id has none in its dead letter: " + dead);
        else assertEquals(id, dead.get("id").asText(), dead.toString());
    }

    @Test
    void aMissingColumnFailsTheJobNamingFileColumnsAndFlag(@TempDir Path dir) throws Exception {
        Path part = fixture("corpus/part-0.parquet");
        String msg = failure(part.toString(), dir, "--textColumn=body");
        assertEquals(part + ": no column 'body' (its columns: title, id, text, tags; choose the text column with --text-column)", msg);
        String id = failure(part.toString(), dir, "--idColumn=key");
        assertTrue(id.startsWith(part + ": no column 'key' (") && id.endsWith("choose the id column with --id-column)"), id);
        Path list = fixture("list_text.parquet");
        String nested = failure(list.toString(), dir);
        assertTrue(nested.startsWith(list + ": column 'text' is a list;"), nested);
    }

    @Test
    void aFileThatIsNotParquetFailsTheJobNamingIt(@TempDir Path dir) throws Exception {
        Path json = Files.writeString(dir.resolve("rows.parquet"), "{\"id\": \"a\", \"text\": \"JSON under a Parquet name\"}\n");
        assertEquals(json + ": not a Parquet file (it does not start with 'PAR1')", failure(json.toString(), dir));
        Path lfs = Files.writeString(dir.resolve("lfs.parquet"),
                "version https://git-lfs.github.com/spec/v1\noid sha256:" + "0".repeat(64) + "\nsize 1234\n");
        assertTrue(failure(lfs.toString(), dir).startsWith(lfs + ": a Git LFS pointer"), failure(lfs.toString(), dir));
    }

    /** The job's failure, which must be a {@link DatasetException} somewhere in the runner's wrapping; its message. */
    private static String failure(String input, Path dir, String... extra) {
        BatchOptions o = BeamPipelineTest.options(input, dir.resolve("failed").toString(), extra);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> SummarizePipeline.build(o, new BeamPipelineTest.FakeLoader("parquet")).run().waitUntilFinish());
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof DatasetException d) return d.getMessage();
        throw new AssertionError("no DatasetException under " + e, e);
    }

    @Test
    void aPatternEndingInParquetIsReadAsParquet() {
        for (String p : List.of("x.parquet", "DATA/X.PARQUET", "corpus/*.parquet", "gs://bucket/train-*.parquet")) {
            assertTrue(ParquetInput.isParquet(p), p);
        }
        for (String p : List.of("x.jsonl", "x.parquet.gz", "corpus/*", "corpus/*.{parquet,jsonl}")) assertFalse(ParquetInput.isParquet(p), p);
    }
}
