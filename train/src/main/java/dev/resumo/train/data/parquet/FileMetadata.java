package dev.resumo.train.data.parquet;

import static dev.resumo.train.data.parquet.ThriftCompactReader.BINARY;
import static dev.resumo.train.data.parquet.ThriftCompactReader.STRUCT;

import java.util.ArrayList;
import java.util.List;

/**
 * The footer's FileMetaData, as far as Resumo reads it: the schema (a flattened tree), the row
 * groups, and per column chunk where its pages are and how they are compressed. Field ids are those
 * of parquet-format's parquet.thrift; everything else (statistics, key/value metadata such as
 * {@code ARROW:schema} or {@code huggingface}, column orders, page indexes, bloom filters) is skipped.
 */
record FileMetadata(List<SchemaElement> schema, long numRows, List<RowGroup> rowGroups, boolean encrypted) {

    /** A schema node: a group (numChildren > 0, no type) or a leaf column (type set). */
    record SchemaElement(Integer type, int typeLength, int repetition, String name, int numChildren,
                         Integer convertedType, LogicalType logicalType, int scale) {
        static final int REQUIRED = 0, OPTIONAL = 1, REPEATED = 2;

        boolean isGroup() {
            return type == null;
        }
    }

    /**
     * The union LogicalType: which member is set (parquet.thrift's field id: 1 STRING, 2 MAP, 3 LIST,
     * 4 ENUM, 5 DECIMAL, 6 DATE, 7 TIME, 8 TIMESTAMP, 10 INTEGER, 11 UNKNOWN (null), 12 JSON, 13 BSON,
     * 14 UUID, 15 FLOAT16, ...), with DECIMAL's scale and INTEGER's signedness.
     */
    record LogicalType(int kind, int scale, boolean signed) {
        static final int STRING = 1, MAP = 2, LIST = 3, ENUM = 4, DECIMAL = 5, DATE = 6, TIME = 7, TIMESTAMP = 8,
                INTEGER = 10, UNKNOWN = 11, JSON = 12, BSON = 13, UUID = 14, FLOAT16 = 15;
    }

    record RowGroup(List<ColumnChunk> columns, long numRows) {}

    /** {@code filePath} set: the chunk lives in another file; {@code encrypted}: column-level encryption. */
    record ColumnChunk(String filePath, ColumnMetaData metaData, boolean encrypted) {}

    /** {@code totalUncompressedSize} (-1 when absent) bounds the page sizes a header may claim. */
    record ColumnMetaData(int type, List<String> path, int codec, long numValues, long totalUncompressedSize, long totalCompressedSize,
                          long dataPageOffset, long dictionaryPageOffset) {}

    static FileMetadata decode(byte[] bytes, int offset, int length) {
        ThriftCompactReader r = new ThriftCompactReader(bytes, offset, offset + length);
        List<SchemaElement> schema = new ArrayList<>();
        List<RowGroup> rowGroups = new ArrayList<>();
        long[] numRows = {-1};
        boolean[] encrypted = {false};
        r.readStruct((id, type) -> {
            switch (id) {
                case 2 -> {
                    int n = r.listSize(type, STRUCT);
                    for (int i = 0; i < n; i++) schema.add(schemaElement(r));
                }
                case 3 -> numRows[0] = r.i64(type);
                case 4 -> {
                    int n = r.listSize(type, STRUCT);
                    for (int i = 0; i < n; i++) rowGroups.add(rowGroup(r));
                }
                // encryption_algorithm: set in files whose footer is plaintext but whose columns are encrypted.
                case 8 -> {
                    encrypted[0] = true;
                    r.skip(type);
                }
                default -> r.skip(type);
            }
        });
        if (schema.isEmpty()) throw new ParquetFormatException("corrupt metadata: the footer has no schema");
        if (numRows[0] < 0) throw new ParquetFormatException("corrupt metadata: the footer has no row count");
        return new FileMetadata(schema, numRows[0], rowGroups, encrypted[0]);
    }

    private static SchemaElement schemaElement(ThriftCompactReader r) {
        Integer[] type = {null}, converted = {null};
        int[] ints = {0, 0, 0, 0}; // typeLength, repetition, numChildren, scale
        String[] name = {null};
        LogicalType[] logical = {null};
        r.readStruct((id, t) -> {
            switch (id) {
                case 1 -> type[0] = r.i32(t);
                case 2 -> ints[0] = r.i32(t);
                case 3 -> ints[1] = r.i32(t);
                case 4 -> name[0] = r.string(t);
                case 5 -> ints[2] = r.i32(t);
                case 6 -> converted[0] = r.i32(t);
                case 7 -> ints[3] = r.i32(t);
                case 10 -> logical[0] = logicalType(r, t);
                default -> r.skip(t);
            }
        });
        if (name[0] == null) throw new ParquetFormatException("corrupt metadata: a schema element without a name");
        return new SchemaElement(type[0], ints[0], ints[1], name[0], ints[2], converted[0], logical[0], ints[3]);
    }

    private static LogicalType logicalType(ThriftCompactReader r, int type) {
        if (type != STRUCT) {
            r.skip(type);
            return null;
        }
        int[] kind = {0}, scale = {0};
        boolean[] signed = {true};
        r.readStruct((id, t) -> {
            kind[0] = id;
            if (t != STRUCT) {
                r.skip(t);
                return;
            }
            r.readStruct((member, mt) -> {
                if (id == LogicalType.DECIMAL && member == 1) scale[0] = r.i32(mt);
                else if (id == LogicalType.INTEGER && member == 2) signed[0] = r.bool(mt);
                else r.skip(mt);
            });
        });
        return new LogicalType(kind[0], scale[0], signed[0]);
    }

    private static RowGroup rowGroup(ThriftCompactReader r) {
        List<ColumnChunk> columns = new ArrayList<>();
        long[] numRows = {-1};
        r.readStruct((id, t) -> {
            switch (id) {
                case 1 -> {
                    int n = r.listSize(t, STRUCT);
                    for (int i = 0; i < n; i++) columns.add(columnChunk(r));
                }
                case 3 -> numRows[0] = r.i64(t);
                default -> r.skip(t);
            }
        });
        if (numRows[0] < 0) throw new ParquetFormatException("corrupt metadata: a row group without a row count");
        return new RowGroup(columns, numRows[0]);
    }

    private static ColumnChunk columnChunk(ThriftCompactReader r) {
        String[] filePath = {null};
        ColumnMetaData[] meta = {null};
        boolean[] encrypted = {false};
        r.readStruct((id, t) -> {
            switch (id) {
                case 1 -> filePath[0] = r.string(t);
                case 3 -> meta[0] = columnMetaData(r, t);
                case 8, 9 -> { // crypto_metadata, encrypted_column_metadata
                    encrypted[0] = true;
                    r.skip(t);
                }
                default -> r.skip(t);
            }
        });
        return new ColumnChunk(filePath[0], meta[0], encrypted[0]);
    }

    private static ColumnMetaData columnMetaData(ThriftCompactReader r, int type) {
        if (type != STRUCT) throw new ParquetFormatException("corrupt metadata: a column chunk's metadata is not a struct");
        // type, codec, numValues, totalCompressedSize, dataPageOffset, dictionaryPageOffset, totalUncompressedSize
        long[] v = {-1, -1, -1, -1, -1, -1, -1};
        List<String> path = new ArrayList<>();
        r.readStruct((id, t) -> {
            switch (id) {
                case 1 -> v[0] = r.i32(t);
                case 3 -> {
                    int n = r.listSize(t, BINARY);
                    for (int i = 0; i < n; i++) path.add(r.string(BINARY));
                }
                case 4 -> v[1] = r.i32(t);
                case 5 -> v[2] = r.i64(t);
                case 6 -> v[6] = r.i64(t);
                case 7 -> v[3] = r.i64(t);
                case 9 -> v[4] = r.i64(t);
                case 11 -> v[5] = r.i64(t);
                default -> r.skip(t);
            }
        });
        for (int i = 0; i < 5; i++) {
            if (v[i] < 0) throw new ParquetFormatException("corrupt metadata: a column chunk of " + String.join(".", path)
                    + " lacks its " + new String[] {"type", "codec", "value count", "compressed size", "data page offset"}[i]);
        }
        return new ColumnMetaData((int) v[0], List.copyOf(path), (int) v[1], v[2], v[6], v[3], v[4], v[5]);
    }
}
