package dev.resumo.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.data.parquet.ParquetFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet file's footer is read once per run, when its row groups are listed, not again for each
 * row group: reading a file of G row groups used to fetch its footer G + 1 times, and as the footer
 * grows with G that is O(G²) bytes fetched from a remote store. The file is read through
 * {@link CountingFileSystem}, which records every byte the pipeline reads.
 */
class ParquetFooterReadOnceTest {
    @Test
    void theFooterIsReadOnceHoweverManyRowGroupsTheFileHas(@TempDir Path dir) throws Exception {
        Path file = Files.copy(ParquetPipelineTest.fixture("corpus/part-0.parquet"), dir.resolve("part-0.parquet"));
        int groups;
        long rows;
        try (ParquetFile p = ParquetFile.open(file)) {
            groups = p.rowGroupCount();
            rows = p.rowCount();
        }
        // With one row group, reading it once more would not tell "once per file" from "once per group".
        assertTrue(groups >= 3, "a file of several row groups: " + groups);

        // The layout's end: footer, its length (4 bytes, little-endian), "PAR1".
        byte[] bytes = Files.readAllBytes(file);
        assertEquals("PAR1", new String(Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length), "US-ASCII"));
        long footerLength = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        long footerStart = bytes.length - 8 - footerLength;

        BatchOptions o = BeamPipelineTest.options(CountingFileSystem.spec(file), dir.resolve("out").toString(), "--batchSize=2");
        PipelineResult result = SummarizePipeline.build(o, new BeamPipelineTest.FakeLoader("footer")).run();
        assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
        assertEquals(rows, BatchCounts.of(result).summarized(), "every row of every group was read and summarized");

        long footerBytesRead = CountingFileSystem.bytesRead(file, footerStart, footerStart + footerLength);
        assertEquals(footerLength, footerBytesRead, "the footer (" + footerLength + " bytes) read once for " + groups
                + " row groups; " + footerBytesRead / (double) footerLength + " times instead");
    }
}
