package dev.resumo.batch;

import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.parquet.ParquetFile;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A matched Parquet file → one {@link RowGroupRef} per non-empty row group, each carrying what
 * reading its id and text columns needs from the footer. Reads the footer only, and the only time
 * the run reads it; a file that is not readable Parquet or lacks a column fails the job here,
 * naming the file, before any row of it is summarized.
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
        SeekableByteChannel channel;
        try {
            channel = file.openSeekable();
        } catch (IOException e) {
            throw new DatasetException(file.getMetadata().resourceId() + ": cannot read (" + e.getMessage() + ")", e);
        }
        list(file.getMetadata(), channel, idColumn, textColumn, out::output);
    }

    /**
     * The row groups of {@code file} (as matched: its size and last-modified time go into each ref),
     * read through {@code channel}, which this closes.
     */
    static void list(MatchResult.Metadata file, SeekableByteChannel channel, String idColumn, String textColumn,
                     Consumer<RowGroupRef> out) {
        ResourceId id = file.resourceId();
        try (ParquetFile parquet = ParquetFile.open(channel, id.toString())) {
            ParquetInput.requireColumns(parquet, id.toString(), idColumn, textColumn);
            List<String> columns = List.of(idColumn, textColumn);
            long first = 0;
            for (int g = 0; g < parquet.rowGroupCount(); g++) {
                if (parquet.rowGroupRows(g) > 0) {
                    out.accept(new RowGroupRef(id, file.sizeBytes(), file.lastModifiedMillis(), first, parquet.slice(g, columns)));
                }
                first += parquet.rowGroupRows(g);
            }
        }
    }
}
