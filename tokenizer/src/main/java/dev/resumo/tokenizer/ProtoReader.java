package dev.resumo.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protobuf wire format (varint, 64-bit, length-delimited, 32-bit fields),
 * enough to read a SentencePiece {@code ModelProto} without a protobuf dependency. Every read is
 * bounds-checked: a truncated or foreign file raises {@link MalformedException} with the offset.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** The bytes are not a well-formed message; the message says where. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    private final byte[] data;
    private int pos;
    private final int end;

    ProtoReader(byte[] data, int start, int end) {
        this.data = data;
        this.pos = start;
        this.end = end;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** Reads a field key and returns it (field number {@code << 3 | wire type}). */
    int readTag() throws MalformedException {
        long key = readVarint();
        int field = (int) (key >>> 3);
        int wireType = (int) (key & 7);
        if (field <= 0 || key > Integer.MAX_VALUE) throw new MalformedException("bad field key " + key + " at byte " + pos);
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw new MalformedException("unsupported wire type " + wireType + " at byte " + pos);
        }
        return (int) key;
    }

    long readVarint() throws MalformedException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw new MalformedException("truncated varint at byte " + pos);
            byte b = data[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) return result;
        }
        throw new MalformedException("varint longer than 10 bytes at byte " + pos);
    }

    int readFixed32() throws MalformedException {
        need(4);
        int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF) << 16 | (data[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    float readFloat() throws MalformedException {
        return Float.intBitsToFloat(readFixed32());
    }

    boolean readBool() throws MalformedException {
        return readVarint() != 0;
    }

    /** An int32 field: negative values are sent as 10-byte varints and truncate to 32 bits. */
    int readInt32() throws MalformedException {
        return (int) readVarint();
    }

    /** Returns a reader over the next length-delimited field and skips past it. */
    ProtoReader readMessage() throws MalformedException {
        int length = readLength();
        ProtoReader sub = new ProtoReader(data, pos, pos + length);
        pos += length;
        return sub;
    }

    byte[] readBytes() throws MalformedException {
        int length = readLength();
        byte[] out = new byte[length];
        System.arraycopy(data, pos, out, 0, length);
        pos += length;
        return out;
    }

    String readString() throws MalformedException {
        int length = readLength();
        String s = new String(data, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    void skip(int tag) throws MalformedException {
        switch (tag & 7) {
            case VARINT -> readVarint();
            case FIXED64 -> { need(8); pos += 8; }
            case LENGTH_DELIMITED -> {
                int length = readLength(); // (not `pos += readLength()`: Java would add to the old pos)
                pos += length;
            }
            case FIXED32 -> { need(4); pos += 4; }
            default -> throw new MalformedException("unsupported wire type " + (tag & 7) + " at byte " + pos);
        }
    }

    /** Checks that a field read with {@code tag} has the wire type the schema expects. */
    static void expect(int tag, int wireType) throws MalformedException {
        if ((tag & 7) != wireType) {
            throw new MalformedException("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected " + wireType);
        }
    }

    private int readLength() throws MalformedException {
        long length = readVarint();
        if (length < 0 || length > end - pos) {
            throw new MalformedException("field of " + length + " bytes at byte " + pos + " runs past the end (" + end + ")");
        }
        return (int) length;
    }

    private void need(int n) throws MalformedException {
        if (end - pos < n) throw new MalformedException("truncated fixed-size field at byte " + pos);
    }
}
