package dev.resumo.batch;

import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.parquet.ParquetFile;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A matched Parquet file → one {@link RowGroupRef} per non-empty row group. Reads the footer only;
 * a file that is not readable Parquet or lacks a column fails the job here, naming the file, before
 * any row of it is summarized.
 */
final class ListRowGroupsFn extends DoFn<FileIO.ReadableFile, RowGroupRef> {
    private final String idColumn;
    private final String textColumn;

    ListRowGroupsFn(String idColumn, String textColumn) {
        this.idColumn = idColumn;
        this.textColumn = textColumn;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RowGroupRef> out) {
        ResourceId id = file.getMetadata().resourceId();
        SeekableByteChannel channel;
        try {
            channel = file.openSeekable();
        } catch (IOException e) {
            throw new DatasetException(id + ": cannot read (" + e.getMessage() + ")", e);
        }
        try (ParquetFile parquet = ParquetFile.open(channel, id.toString())) {
            ParquetInput.requireColumns(parquet, id.toString(), idColumn, textColumn);
            long first = 0;
            for (int g = 0; g < parquet.rowGroupCount(); g++) {
                if (parquet.rowGroupRows(g) > 0) out.output(new RowGroupRef(id, g, first));
                first += parquet.rowGroupRows(g);
            }
        }
    }
}
