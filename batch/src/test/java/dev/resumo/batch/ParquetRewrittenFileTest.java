package dev.resumo.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.data.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row group is read at the byte ranges its file's footer gave when the run listed it, without
 * reading the footer again; so a file rewritten in between (on a bucket, mid-run) must be refused,
 * naming it, instead of decoding another version's bytes at the old places. Each test first reads
 * the unchanged file, so the refusal is the rewrite's doing.
 */
class ParquetRewrittenFileTest {
    private static final String CHANGED = ": changed since the run listed its row groups (rewritten while the run read it?);"
            + " rerun once it is complete";

    /** The row groups of {@code file} as the pipeline's listing gives them. */
    static List<RowGroupRef> listed(Path file) throws IOException {
        MatchResult.Metadata m = FileSystems.matchSingleFileSpec(file.toString());
        List<RowGroupRef> refs = new ArrayList<>();
        ListRowGroupsFn.list(m, ReadRowGroupFn.seekable(m.resourceId()), "id", "text", refs::add);
        return refs;
    }

    @Test
    void aFileRewrittenWithAnotherSizeIsRefusedByName(@TempDir Path dir) throws Exception {
        Path file = Files.copy(ParquetPipelineTest.fixture("corpus/part-0.parquet"), dir.resolve("rows.parquet"));
        Path other = ParquetPipelineTest.fixture("corpus/part-1.parquet");
        assertNotEquals(Files.size(file), Files.size(other), "the rewrite changes the size");
        List<RowGroupRef> refs = listed(file);
        RowGroupRef second = refs.get(1);
        assertEquals(second.slice().rows(), ReadRowGroupFn.readColumns(second).get("text").rows(), "read while unchanged");

        Files.copy(other, file, StandardCopyOption.REPLACE_EXISTING);
        DatasetException e = assertThrows(DatasetException.class, () -> ReadRowGroupFn.readColumns(second));
        assertEquals(second.file() + CHANGED, e.getMessage());
    }

    @Test
    void aFileRewrittenToTheSameSizeIsRefusedByItsNewTime(@TempDir Path dir) throws Exception {
        Path file = Files.copy(ParquetPipelineTest.fixture("corpus/part-0.parquet"), dir.resolve("rows.parquet"));
        List<RowGroupRef> refs = listed(file);
        RowGroupRef first = refs.get(0);
        assertTrue(first.lastModifiedMillis() > 0, "the local filesystem tells a file's last-modified time");
        assertEquals(first.slice().rows(), ReadRowGroupFn.readColumns(first).get("id").rows(), "read while unchanged");

        // Rewritten (here with the same bytes: the size cannot tell), at a later time.
        Files.write(file, Files.readAllBytes(file));
        Files.setLastModifiedTime(file, FileTime.fromMillis(first.lastModifiedMillis() + 10_000));
        DatasetException e = assertThrows(DatasetException.class, () -> ReadRowGroupFn.readColumns(first));
        assertEquals(first.file() + CHANGED, e.getMessage());
    }
}
