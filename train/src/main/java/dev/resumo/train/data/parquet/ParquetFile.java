package dev.resumo.train.data.parquet;

import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.parquet.FileMetadata.ColumnChunk;
import dev.resumo.train.data.parquet.FileMetadata.ColumnMetaData;
import dev.resumo.train.data.parquet.FileMetadata.RowGroup;
import dev.resumo.train.data.parquet.FileMetadata.SchemaElement;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Parquet file read for its flat columns as text, row group by row group: what Hugging Face
 * {@code datasets} ({@code push_to_hub}, {@code to_parquet}), pandas and pyarrow write. The layout:
 * {@code PAR1}, the column chunks of each row group, the footer (Thrift FileMetaData), the footer's
 * length as 4 little-endian bytes, {@code PAR1}.
 *
 * <p>Only the columns asked for are read, one row group at a time (memory: those columns of one
 * row group); other columns, nested ones included, are never touched. Reads data pages v1 and v2;
 * PLAIN, dictionary (PLAIN_DICTIONARY, RLE_DICTIONARY), DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT and RLE booleans; the codecs of
 * {@link Codec}. Every problem is a {@link DatasetException} naming the file and, where it is about
 * one, the column: encrypted files, list/map/struct columns asked for, unsupported codecs or
 * encodings, and corrupt or cut-short files.
 */
public final class ParquetFile implements AutoCloseable {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENCRYPTED_MAGIC = "PARE".getBytes(StandardCharsets.US_ASCII);
    /** How a Git LFS pointer file starts: what a clone made without `git lfs pull` holds instead of the data. */
    private static final byte[] LFS_POINTER = "version https://git-lfs".getBytes(StandardCharsets.US_ASCII);
    /** Header magic + footer length + trailing magic. */
    private static final int MIN_SIZE = 12;

    /** The file as messages name it: its path, or a Beam resource id such as gs://bucket/x.parquet. */
    private final String fileName;
    private final SeekableByteChannel channel;
    private final FileMetadata metadata;
    private final ParquetSchema schema;
    /** Where the footer starts: column data lies in [4, dataEnd). */
    private final long dataEnd;

    private ParquetFile(String fileName, SeekableByteChannel channel, FileMetadata metadata, ParquetSchema schema, long dataEnd) {
        this.fileName = fileName;
        this.channel = channel;
        this.metadata = metadata;
        this.schema = schema;
        this.dataEnd = dataEnd;
    }

    /** Opens the file and reads its footer and schema; a file that is not readable Parquet is a {@link DatasetException}. */
    public static ParquetFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new DatasetException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        return open(channel, path.toString());
    }

    /**
     * Reads the footer and schema of the Parquet file behind {@code channel} (a file on any
     * filesystem: Beam's {@code FileSystems.open} gives one for gs://, hdfs://, s3://), named
     * {@code name} in messages. The file owns the channel from here: it closes it on
     * {@link #close}, and at once when this throws.
     */
    public static ParquetFile open(SeekableByteChannel channel, String name) {
        try {
            long size = channel.size();
            if (size < MIN_SIZE) {
                throw new DatasetException(name + ": not a Parquet file (" + size + " bytes; a Parquet file is at least "
                        + MIN_SIZE + ", starting and ending with 'PAR1')");
            }
            byte[] head = read(channel, 0, 4);
            byte[] tail = read(channel, size - 8, 8);
            byte[] tailMagic = Arrays.copyOfRange(tail, 4, 8);
            if (Arrays.equals(tailMagic, ENCRYPTED_MAGIC)) {
                throw new DatasetException(name + ": the Parquet footer is encrypted ('PARE'); Resumo reads unencrypted Parquet files only");
            }
            if (!Arrays.equals(head, MAGIC)) {
                if (size >= LFS_POINTER.length && Arrays.equals(read(channel, 0, LFS_POINTER.length), LFS_POINTER)) {
                    throw new DatasetException(name + ": a Git LFS pointer, not the Parquet file it stands for (cloned without"
                            + " the LFS objects? run `git lfs pull` in the clone)");
                }
                throw new DatasetException(name + ": not a Parquet file (it does not start with 'PAR1')");
            }
            if (!Arrays.equals(tailMagic, MAGIC)) {
                throw new DatasetException(name + ": not a complete Parquet file: it does not end with 'PAR1' (cut short while"
                        + " downloading or copying? a Parquet file's footer is at its end)");
            }
            long footerLength = Bits.int32(tail, 0) & 0xFFFFFFFFL;
            if (footerLength == 0 || footerLength > size - MIN_SIZE || footerLength > Integer.MAX_VALUE - 16) {
                throw new DatasetException(name + ": corrupt Parquet file: a footer of " + footerLength + " bytes in a file of " + size);
            }
            long footerStart = size - 8 - footerLength;
            byte[] footer = read(channel, footerStart, (int) footerLength);
            FileMetadata metadata;
            ParquetSchema schema;
            try {
                metadata = FileMetadata.decode(footer, 0, footer.length);
                schema = ParquetSchema.of(metadata.schema());
                for (int g = 0; g < metadata.rowGroups().size(); g++) {
                    int chunks = metadata.rowGroups().get(g).columns().size();
                    if (chunks != schema.leafCount) {
                        throw new ParquetFormatException("corrupt metadata: row group " + (g + 1) + " has " + chunks
                                + " column chunks for " + schema.leafCount + " columns");
                    }
                }
            } catch (ParquetFormatException e) {
                throw new DatasetException(name + ": corrupt Parquet footer (" + e.getMessage() + ")", e);
            } catch (IndexOutOfBoundsException | NegativeArraySizeException | ArithmeticException e) {
                throw new DatasetException(name + ": corrupt Parquet footer (" + e + ")", e);
            }
            ParquetFile file = new ParquetFile(name, channel, metadata, schema, footerStart);
            channel = null; // owned by the file now
            return file;
        } catch (IOException e) {
            throw new DatasetException(name + ": cannot read (" + e.getMessage() + ")", e);
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the error being thrown says more
                }
            }
        }
    }

    /** The top-level column names, in the file's order. */
    public List<String> columns() {
        return schema.names();
    }

    public boolean hasColumn(String name) {
        return schema.field(name) != null;
    }

    public long rowCount() {
        return metadata.numRows();
    }

    public int rowGroupCount() {
        return metadata.rowGroups().size();
    }

    public long rowGroupRows(int rowGroup) {
        return metadata.rowGroups().get(rowGroup).numRows();
    }

    /**
     * Checks that {@code name} exists and can be read as text: flat, of a type read as text, not
     * encrypted; a {@link DatasetException} saying why not otherwise. Lets a caller refuse a file
     * before reading any row.
     */
    public void requireReadable(String name) {
        ParquetSchema.Field f = schema.field(name);
        if (f == null) throw new DatasetException(fileName + ": no column '" + name + "' (its columns: " + String.join(", ", columns()) + ")");
        if (f.nested() != null) {
            throw new DatasetException(fileName + ": column '" + name + "' is " + f.nested() + "; Resumo reads flat string columns"
                    + " (join or pick its parts into one string column first)");
        }
        String why = ValueText.unsupported(f.element());
        if (why != null) throw new DatasetException(fileName + ": column '" + name + "': " + why);
        if (metadata.encrypted()) throw new DatasetException(fileName + ": the Parquet file's columns are encrypted; Resumo reads unencrypted files only");
    }

    /**
     * {@link #requireReadable}, and the column must hold strings: a text or summary column of
     * numbers or booleans is the wrong column (`--text-column id`), where JSON lines refuses a
     * non-string value too. {@code flag} is the option that picks the column, for the message.
     */
    public void requireText(String name, String flag) {
        requireReadable(name);
        ValueText values = ValueText.of(schema.field(name).element());
        if (!values.holdsStrings()) {
            throw new DatasetException(fileName + ": column '" + name + "' holds " + values.nonStringKind()
                    + ", not text (its columns: " + String.join(", ", columns()) + "; choose the column with " + flag + ")");
        }
    }

    /** The named columns of one row group (each checked with {@link #requireReadable}), by name. */
    public Map<String, ParquetColumn> readRowGroup(int rowGroup, Collection<String> names) {
        return readRowGroup(channel, fileName, slice(rowGroup, names));
    }

    /**
     * What {@link #readRowGroup(SeekableByteChannel, String, RowGroupSlice)} needs from this file's
     * footer to read the named columns of one row group (each checked with {@link #requireReadable}):
     * a reader handed it (a Beam worker) reads those columns' chunks without parsing the footer again.
     */
    public RowGroupSlice slice(int rowGroup, Collection<String> names) {
        if (rowGroup < 0 || rowGroup >= rowGroupCount()) {
            throw new DatasetException(fileName + ": has " + rowGroupCount() + " row groups, no row group " + (rowGroup + 1));
        }
        RowGroup group = metadata.rowGroups().get(rowGroup);
        if (group.numRows() > Integer.MAX_VALUE - 8) {
            throw new DatasetException(fileName + ": a row group of " + group.numRows() + " rows" + where(rowGroup, rowGroupCount())
                    + "; Resumo reads row groups of up to 2^31 rows");
        }
        List<RowGroupSlice.Column> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) continue;
            requireReadable(name);
            ParquetSchema.Field f = schema.field(name);
            columns.add(new RowGroupSlice.Column(name, f.element(), group.columns().get(f.firstLeaf())));
        }
        return new RowGroupSlice(rowGroup, rowGroupCount(), group.numRows(), dataEnd, columns);
    }

    /**
     * The columns of {@code slice} (taken by {@link #slice} from this file's footer) read from
     * {@code channel}, by name; {@code name} names the file in messages. Reads only those columns'
     * chunks, not the footer; the caller makes sure the file is the version the slice was taken from,
     * and closes the channel.
     */
    public static Map<String, ParquetColumn> readRowGroup(SeekableByteChannel channel, String name, RowGroupSlice slice) {
        String where = where(slice.rowGroup, slice.rowGroupCount);
        Map<String, ParquetColumn> out = new LinkedHashMap<>();
        for (RowGroupSlice.Column c : slice.columns) {
            try {
                out.put(c.name(), new ParquetColumn(c.name(), readChunk(channel, slice.dataEnd, c.chunk(), c.element(), (int) slice.rows),
                        ValueText.of(c.element()).holdsStrings()));
            } catch (ParquetFormatException e) {
                throw new DatasetException(name + ": column '" + c.name() + "'" + where + ": " + e.getMessage(), e);
            } catch (IndexOutOfBoundsException | NegativeArraySizeException | ArithmeticException e) {
                // Every read above is bounds-checked; this net turns one that is not into the same kind of message.
                throw new DatasetException(name + ": column '" + c.name() + "'" + where + ": corrupt data (" + e + ")", e);
            } catch (OutOfMemoryError e) {
                // Sizes and counts come from the file: a corrupt one can still ask for more than the heap
                // (a gzip page's size, a count of values), and so can a real row group larger than the
                // heap. One failed allocation leaves nothing half-made, so this is a message, not a crash.
                throw new DatasetException(name + ": column '" + c.name() + "'" + where + ": needs more memory than the JVM has ("
                        + e.getMessage() + "): a corrupt size in the file, or a row group too large for the heap"
                        + " (raise it: RESUMO_JAVA_OPTS=-Xmx...)", e);
            } catch (IOException e) {
                throw new DatasetException(name + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
        return out;
    }

    private static String where(int rowGroup, int rowGroupCount) {
        return " (row group " + (rowGroup + 1) + " of " + rowGroupCount + ")";
    }

    private static Cells readChunk(SeekableByteChannel channel, long dataEnd, ColumnChunk chunk, SchemaElement element, int rows)
            throws IOException {
        if (chunk.encrypted()) throw new ParquetFormatException("the column is encrypted; Resumo reads unencrypted files only");
        if (chunk.filePath() != null) {
            throw new ParquetFormatException("its data is in another file ('" + chunk.filePath() + "'); Resumo reads self-contained Parquet files");
        }
        ColumnMetaData md = chunk.metaData();
        if (md == null) throw new ParquetFormatException("corrupt metadata: the column chunk has no metadata");
        String codecProblem = Codec.unsupportedReason(md.codec());
        if (codecProblem != null) throw new ParquetFormatException(codecProblem);
        if (md.type() != element.type()) {
            throw new ParquetFormatException("corrupt metadata: the chunk's type " + ValueText.typeName(md.type())
                    + " differs from the schema's " + ValueText.typeName(element.type()));
        }
        if (md.numValues() != rows) {
            throw new ParquetFormatException("corrupt metadata: " + md.numValues() + " values in a flat column of a row group of " + rows + " rows");
        }
        long start = md.dataPageOffset();
        // The dictionary page comes before the data pages; some writers leave its offset 0 when there is none.
        if (md.dictionaryPageOffset() >= MAGIC.length && md.dictionaryPageOffset() < start) start = md.dictionaryPageOffset();
        long length = md.totalCompressedSize();
        if (start < MAGIC.length || start >= dataEnd || length <= 0 || length > dataEnd - start) {
            throw new ParquetFormatException("corrupt metadata: the chunk's bytes [" + start + ", " + (start + length)
                    + ") are not inside the file's data [4, " + dataEnd + ")");
        }
        if (length > Integer.MAX_VALUE - 16) throw new ParquetFormatException("a column chunk of " + length + " bytes is more than Resumo reads (2 GB)");
        byte[] bytes = read(channel, start, (int) length);
        return ColumnChunkReader.read(bytes, md.codec(), ValueText.of(element), ParquetSchema.maxDefinitionLevel(element), rows,
                md.totalUncompressedSize());
    }

    private static byte[] read(SeekableByteChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        // A FileChannel reads at a position without moving its own; other channels are moved there first.
        FileChannel file = channel instanceof FileChannel f ? f : null;
        if (file == null) channel.position(position);
        while (buf.hasRemaining()) {
            int n = file != null ? file.read(buf, position + buf.position()) : channel.read(buf);
            if (n < 0) throw new EOFException("the file ends at byte " + (position + buf.position()) + ", before " + (position + length));
        }
        return buf.array();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
