package dev.resumo.batch;

import dev.resumo.train.data.parquet.ParquetFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.PipelineResult;

/**
 * A measurement, not a test: what `resumo batch --input FILE.parquet` reads of one file on the
 * DirectRunner, through {@link CountingFileSystem}: reads, bytes, and the footer's share of them.
 * Make a file of many row groups with pyarrow, e.g.
 * <pre>
 * python3 -c "import pyarrow as pa, pyarrow.parquet as pq; n=3000; pq.write_table(pa.table({'id': [f'r{i}' for i in range(n)],
 *   'text': [f'Texto numero {i} da medida.' for i in range(n)]}), '/tmp/many.parquet', row_group_size=10)"
 * </pre>
 * then run this class's main with the batch module's test classpath and the file's path.
 */
public final class RowGroupReadCost {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).toAbsolutePath();
        Path out = Files.createTempDirectory("row-group-read-cost");
        int groups;
        try (ParquetFile p = ParquetFile.open(file)) {
            groups = p.rowGroupCount();
        }
        long size = Files.size(file);
        ByteBuffer tail = ByteBuffer.wrap(Files.readAllBytes(file), (int) size - 8, 4).order(ByteOrder.LITTLE_ENDIAN);
        long footerLength = tail.getInt() & 0xFFFFFFFFL, footerStart = size - 8 - footerLength;

        long t0 = System.nanoTime();
        BatchOptions o = BeamPipelineTest.options(CountingFileSystem.spec(file), out.resolve("out").toString(), "--batchSize=64");
        PipelineResult result = SummarizePipeline.build(o, new BeamPipelineTest.FakeLoader("measure")).run();
        result.waitUntilFinish();
        double seconds = (System.nanoTime() - t0) / 1e9;

        long reads = CountingFileSystem.READS.stream().filter(r -> r.path().equals(file.toString())).count();
        long total = CountingFileSystem.bytesRead(file, 0, size);
        long footer = CountingFileSystem.bytesRead(file, footerStart, footerStart + footerLength);
        System.out.printf("%s: %d bytes, %d row groups, footer %d bytes%n", file, size, groups, footerLength);
        System.out.printf("rows summarized %d; reads %d; bytes read %d (%.2f x the file); footer bytes read %d (%.2f x the footer); %.1f s%n",
                BatchCounts.of(result).summarized(), reads, total, total / (double) size, footer, footer / (double) footerLength, seconds);
    }
}
