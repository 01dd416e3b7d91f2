package dev.resumo.train.data.parquet;

import dev.resumo.train.data.parquet.FileMetadata.ColumnChunk;
import dev.resumo.train.data.parquet.FileMetadata.ColumnMetaData;
import dev.resumo.train.data.parquet.FileMetadata.LogicalType;
import dev.resumo.train.data.parquet.FileMetadata.SchemaElement;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What reading some flat columns of one row group needs from the file's footer, kept apart from
 * it: each column's schema entry and column chunk metadata (type, codec, value count, sizes, page
 * offsets), the group's place and rows, and where the footer starts (the bound of the column data).
 * {@link ParquetFile#slice} takes it from an open file, and
 * {@link ParquetFile#readRowGroup(java.nio.channels.SeekableByteChannel, String, RowGroupSlice)}
 * reads those columns with it, seeking straight to their chunks: a reader that was handed the slice
 * (a Beam worker) never parses the footer, whose size grows with the file's row groups.
 *
 * <p>{@link #toBytes} and {@link #fromBytes} carry it between processes; the same slice always
 * gives the same bytes. Equal slices describe the same chunks of the same file version.
 */
public final class RowGroupSlice {
    /** The layout of {@link #toBytes}; bytes of another layout are refused, not misread. */
    private static final int FORMAT = 1;

    /** One column asked for: its top-level name, its (flat) schema entry and its chunk in this row group. */
    record Column(String name, SchemaElement element, ColumnChunk chunk) {}

    final int rowGroup;
    final int rowGroupCount;
    final long rows;
    /** Where the footer starts: the chunks must lie in [4, dataEnd). */
    final long dataEnd;
    final List<Column> columns;

    RowGroupSlice(int rowGroup, int rowGroupCount, long rows, long dataEnd, List<Column> columns) {
        this.rowGroup = rowGroup;
        this.rowGroupCount = rowGroupCount;
        this.rows = rows;
        this.dataEnd = dataEnd;
        this.columns = List.copyOf(columns);
    }

    public long rows() {
        return rows;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeInt(rowGroup);
            out.writeInt(rowGroupCount);
            out.writeLong(rows);
            out.writeLong(dataEnd);
            out.writeInt(columns.size());
            for (Column c : columns) {
                writeString(out, c.name());
                writeElement(out, c.element());
                writeChunk(out, c.chunk());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    public static RowGroupSlice fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) throw new IllegalArgumentException("a row group slice of layout " + format + "; this reader reads layout " + FORMAT);
            int rowGroup = in.readInt(), rowGroupCount = in.readInt();
            long rows = in.readLong(), dataEnd = in.readLong();
            int n = in.readInt();
            List<Column> columns = new ArrayList<>();
            for (int i = 0; i < n; i++) columns.add(new Column(readString(in), readElement(in), readChunk(in)));
            if (in.read() != -1) throw new IllegalArgumentException("a row group slice with bytes after its end");
            return new RowGroupSlice(rowGroup, rowGroupCount, rows, dataEnd, columns);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a row group slice (" + e + ")", e);
        }
    }

    private static void writeElement(DataOutputStream out, SchemaElement e) throws IOException {
        writeNullableInt(out, e.type());
        out.writeInt(e.typeLength());
        out.writeInt(e.repetition());
        writeString(out, e.name());
        out.writeInt(e.numChildren());
        writeNullableInt(out, e.convertedType());
        LogicalType l = e.logicalType();
        out.writeBoolean(l != null);
        if (l != null) {
            out.writeInt(l.kind());
            out.writeInt(l.scale());
            out.writeBoolean(l.signed());
        }
        out.writeInt(e.scale());
    }

    private static SchemaElement readElement(DataInputStream in) throws IOException {
        Integer type = readNullableInt(in);
        int typeLength = in.readInt(), repetition = in.readInt();
        String name = readString(in);
        int numChildren = in.readInt();
        Integer converted = readNullableInt(in);
        LogicalType logical = in.readBoolean() ? new LogicalType(in.readInt(), in.readInt(), in.readBoolean()) : null;
        return new SchemaElement(type, typeLength, repetition, name, numChildren, converted, logical, in.readInt());
    }

    private static void writeChunk(DataOutputStream out, ColumnChunk c) throws IOException {
        writeNullableString(out, c.filePath());
        out.writeBoolean(c.encrypted());
        ColumnMetaData m = c.metaData();
        out.writeBoolean(m != null);
        if (m == null) return;
        out.writeInt(m.type());
        out.writeInt(m.path().size());
        for (String p : m.path()) writeString(out, p);
        out.writeInt(m.codec());
        out.writeLong(m.numValues());
        out.writeLong(m.totalUncompressedSize());
        out.writeLong(m.totalCompressedSize());
        out.writeLong(m.dataPageOffset());
        out.writeLong(m.dictionaryPageOffset());
    }

    private static ColumnChunk readChunk(DataInputStream in) throws IOException {
        String filePath = readNullableString(in);
        boolean encrypted = in.readBoolean();
        if (!in.readBoolean()) return new ColumnChunk(filePath, null, encrypted);
        int type = in.readInt();
        int n = in.readInt();
        List<String> path = new ArrayList<>();
        for (int i = 0; i < n; i++) path.add(readString(in));
        ColumnMetaData m = new ColumnMetaData(type, List.copyOf(path), in.readInt(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong());
        return new ColumnChunk(filePath, m, encrypted);
    }

    private static void writeNullableInt(DataOutputStream out, Integer v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) out.writeInt(v);
    }

    private static Integer readNullableInt(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    private static void writeNullableString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) writeString(out, s);
    }

    private static String readNullableString(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    /** UTF-8 behind its length (writeUTF stops at 64 KB and writes modified UTF-8). */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) throw new IOException("a string of " + n + " bytes in what is left of the slice");
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowGroupSlice s && rowGroup == s.rowGroup && rowGroupCount == s.rowGroupCount && rows == s.rows
                && dataEnd == s.dataEnd && columns.equals(s.columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rowGroup, rowGroupCount, rows, dataEnd, columns);
    }

    @Override
    public String toString() {
        return "row group " + (rowGroup + 1) + " of " + rowGroupCount + " (" + rows + " rows; columns "
                + columns.stream().map(Column::name).toList() + ")";
    }
}
