package dev.resumo.train.data.parquet;

import java.nio.charset.StandardCharsets;

/**
 * Thrift's compact protocol, read from a byte array: what Parquet's footer (FileMetaData) and page
 * headers are written in. Only reading, and only what Parquet's structures use; every field a
 * caller does not ask for is skipped by its type, so files from newer writers (new fields in
 * ColumnMetaData, statistics, size statistics, geospatial types ...) read as long as the fields
 * Resumo needs are there.
 *
 * <p>Every length and count is checked against the bytes left before anything is allocated or
 * read, so a corrupt footer is a {@link ParquetFormatException}, never an
 * ArrayIndexOutOfBoundsException or an OutOfMemoryError.
 */
final class ThriftCompactReader {
    static final int STOP = 0, TRUE = 1, FALSE = 2, BYTE = 3, I16 = 4, I32 = 5, I64 = 6, DOUBLE = 7,
            BINARY = 8, LIST = 9, SET = 10, MAP = 11, STRUCT = 12;
    /** Parquet's structures nest a few levels deep; far deeper means corrupt bytes, not a real file. */
    private static final int MAX_DEPTH = 64;

    /** Reads one field of a struct: the field's id and its compact type; must consume the value (or skip it). */
    @FunctionalInterface
    interface FieldReader {
        void read(int fieldId, int type);
    }

    private final byte[] buf;
    private int pos;
    private final int limit;
    private int depth;

    ThriftCompactReader(byte[] buf, int pos, int limit) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
    }

    int position() {
        return pos;
    }

    /** Reads a struct's fields up to its STOP, handing each to {@code fields}. */
    void readStruct(FieldReader fields) {
        if (++depth > MAX_DEPTH) throw corrupt("structures nested more than " + MAX_DEPTH + " deep");
        int lastId = 0;
        while (true) {
            int header = u8();
            int type = header & 0x0F;
            if (type == STOP) break;
            int delta = header >>> 4;
            // A delta of 0 means the id follows in full (zigzag i16): used when ids jump by more than 15.
            int id = delta != 0 ? lastId + delta : (short) zigzag32(varint32());
            lastId = id;
            fields.read(id, type);
        }
        depth--;
    }

    /** A boolean field: compact encodes its value in the field's type. */
    boolean bool(int type) {
        if (type == TRUE) return true;
        if (type == FALSE) return false;
        throw wrongType(type, "boolean");
    }

    /** An i32 field (i8 and i16 widened: Thrift enums and small ints). */
    int i32(int type) {
        if (type == BYTE) return (byte) u8();
        if (type != I16 && type != I32) throw wrongType(type, "i32");
        return zigzag32(varint32());
    }

    long i64(int type) {
        if (type == BYTE || type == I16 || type == I32) return i32(type);
        if (type != I64) throw wrongType(type, "i64");
        long v = varint64();
        return (v >>> 1) ^ -(v & 1);
    }

    byte[] binary(int type) {
        if (type != BINARY) throw wrongType(type, "binary");
        int n = varint32();
        need(n, "a string or binary value of " + n + " bytes");
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    String string(int type) {
        return new String(binary(type), StandardCharsets.UTF_8);
    }

    /**
     * A list (or set) field's header: its size, with its element type checked against
     * {@code elementType}. The elements follow, read by the caller.
     */
    int listSize(int type, int elementType) {
        if (type != LIST && type != SET) throw wrongType(type, "list");
        int header = u8();
        int size = header >>> 4;
        if (size == 15) size = varint32();
        int elem = header & 0x0F;
        // In lists, booleans are one byte each and their element type may read as TRUE or FALSE.
        boolean boolList = (elem == TRUE || elem == FALSE) && (elementType == TRUE || elementType == FALSE);
        if (elem != elementType && !boolList && size > 0) {
            throw corrupt("a list of " + typeName(elem) + " where a list of " + typeName(elementType) + " was expected");
        }
        // Every element takes at least one byte: a larger count is corruption, refused before any allocation.
        if (size < 0 || size > limit - pos) throw corrupt("a list of " + size + " elements in " + (limit - pos) + " bytes");
        return size;
    }

    /** Skips a value of compact type {@code type} (a field's or a list element's). */
    void skip(int type) {
        switch (type) {
            case TRUE, FALSE -> { } // a field's boolean lives in its type byte
            case BYTE -> u8();
            case I16, I32, I64 -> varint64();
            case DOUBLE -> {
                need(8, "a double");
                pos += 8;
            }
            case BINARY -> {
                int n = varint32();
                need(n, "a binary value of " + n + " bytes");
                pos += n;
            }
            case LIST, SET -> {
                int header = u8();
                int size = header >>> 4;
                if (size == 15) size = varint32();
                if (size < 0 || size > limit - pos) throw corrupt("a list of " + size + " elements in " + (limit - pos) + " bytes");
                int elem = header & 0x0F;
                if (++depth > MAX_DEPTH) throw corrupt("structures nested more than " + MAX_DEPTH + " deep");
                for (int i = 0; i < size; i++) {
                    if (elem == TRUE || elem == FALSE) u8(); // one byte per boolean element
                    else skip(elem);
                }
                depth--;
            }
            case MAP -> {
                int size = varint32();
                if (size < 0 || size > limit - pos) throw corrupt("a map of " + size + " entries in " + (limit - pos) + " bytes");
                if (size == 0) return;
                int kv = u8();
                if (++depth > MAX_DEPTH) throw corrupt("structures nested more than " + MAX_DEPTH + " deep");
                for (int i = 0; i < size; i++) {
                    skipElement(kv >>> 4);
                    skipElement(kv & 0x0F);
                }
                depth--;
            }
            case STRUCT -> readStruct((id, t) -> skip(t));
            default -> throw corrupt("unknown Thrift type " + type);
        }
    }

    /** A map key or value: booleans there take one byte, unlike a field's. */
    private void skipElement(int type) {
        if (type == TRUE || type == FALSE) u8();
        else skip(type);
    }

    private int u8() {
        need(1, "a byte");
        return buf[pos++] & 0xFF;
    }

    private int varint32() {
        long v = varint64();
        if ((v >>> 32) != 0) throw corrupt("a 32-bit number that does not fit 32 bits");
        return (int) v;
    }

    private long varint64() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw corrupt("a variable-length number longer than 10 bytes");
    }

    private static int zigzag32(int n) {
        return (n >>> 1) ^ -(n & 1);
    }

    private void need(int n, String what) {
        if (n < 0 || n > limit - pos) {
            throw corrupt("the metadata ends in the middle of " + what + " (" + (limit - pos) + " bytes left)");
        }
    }

    private ParquetFormatException wrongType(int type, String expected) {
        return corrupt("a Thrift " + typeName(type) + " where " + expected + " was expected");
    }

    private static String typeName(int type) {
        return switch (type) {
            case TRUE, FALSE -> "boolean";
            case BYTE -> "byte";
            case I16 -> "i16";
            case I32 -> "i32";
            case I64 -> "i64";
            case DOUBLE -> "double";
            case BINARY -> "binary";
            case LIST -> "list";
            case SET -> "set";
            case MAP -> "map";
            case STRUCT -> "struct";
            default -> "type " + type;
        };
    }

    private static ParquetFormatException corrupt(String what) {
        return new ParquetFormatException("corrupt Thrift metadata: " + what);
    }
}
