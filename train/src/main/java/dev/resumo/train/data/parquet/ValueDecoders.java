package dev.resumo.train.data.parquet;

import static dev.resumo.train.data.parquet.ValueText.BOOLEAN;
import static dev.resumo.train.data.parquet.ValueText.BYTE_ARRAY;
import static dev.resumo.train.data.parquet.ValueText.DOUBLE;
import static dev.resumo.train.data.parquet.ValueText.FIXED_LEN_BYTE_ARRAY;
import static dev.resumo.train.data.parquet.ValueText.FLOAT;
import static dev.resumo.train.data.parquet.ValueText.INT32;
import static dev.resumo.train.data.parquet.ValueText.INT64;

/**
 * The value encodings of a data page's (non-null) values, each appending {@code n} values as text to
 * a {@link Cells}. Every read is bounded by the page's end: data that runs out is a
 * {@link ParquetFormatException} saying so.
 */
final class ValueDecoders {
    static final int PLAIN = 0, PLAIN_DICTIONARY = 2, RLE = 3, BIT_PACKED = 4, DELTA_BINARY_PACKED = 5,
            DELTA_LENGTH_BYTE_ARRAY = 6, DELTA_BYTE_ARRAY = 7, RLE_DICTIONARY = 8, BYTE_STREAM_SPLIT = 9;

    private ValueDecoders() {}

    static String encodingName(int encoding) {
        return switch (encoding) {
            case PLAIN -> "PLAIN";
            case PLAIN_DICTIONARY -> "PLAIN_DICTIONARY";
            case RLE -> "RLE";
            case BIT_PACKED -> "BIT_PACKED";
            case DELTA_BINARY_PACKED -> "DELTA_BINARY_PACKED";
            case DELTA_LENGTH_BYTE_ARRAY -> "DELTA_LENGTH_BYTE_ARRAY";
            case DELTA_BYTE_ARRAY -> "DELTA_BYTE_ARRAY";
            case RLE_DICTIONARY -> "RLE_DICTIONARY";
            case BYTE_STREAM_SPLIT -> "BYTE_STREAM_SPLIT";
            default -> "encoding " + encoding;
        };
    }

    /** PLAIN: fixed-width little-endian numbers, bit-packed booleans, length-prefixed byte arrays. */
    static void plain(ValueText t, byte[] buf, int pos, int end, int n, Cells out) {
        switch (t.physical) {
            case BOOLEAN -> {
                need(pos, end, (n + 7L) / 8, "PLAIN booleans");
                for (int i = 0; i < n; i++) out.add(Boolean.toString(((buf[pos + (i >>> 3)] >>> (i & 7)) & 1) != 0), false);
            }
            case INT32 -> {
                need(pos, end, 4L * n, "PLAIN INT32 values");
                for (int i = 0; i < n; i++) out.add(t.ofInt32(Bits.int32(buf, pos + 4 * i)), false);
            }
            case INT64 -> {
                need(pos, end, 8L * n, "PLAIN INT64 values");
                for (int i = 0; i < n; i++) out.add(t.ofInt64(Bits.int64(buf, pos + 8 * i)), false);
            }
            case FLOAT -> {
                need(pos, end, 4L * n, "PLAIN FLOAT values");
                for (int i = 0; i < n; i++) out.add(Float.toString(Float.intBitsToFloat(Bits.int32(buf, pos + 4 * i))), false);
            }
            case DOUBLE -> {
                need(pos, end, 8L * n, "PLAIN DOUBLE values");
                for (int i = 0; i < n; i++) out.add(Double.toString(Double.longBitsToDouble(Bits.int64(buf, pos + 8 * i))), false);
            }
            case BYTE_ARRAY -> {
                int p = pos;
                for (int i = 0; i < n; i++) {
                    need(p, end, 4, "a PLAIN string's length");
                    int len = Bits.int32(buf, p);
                    p += 4;
                    if (len < 0) throw new ParquetFormatException("corrupt page: a string of length " + len);
                    need(p, end, len, "a PLAIN string of " + len + " bytes");
                    t.addBytes(buf, p, len, out);
                    p += len;
                }
            }
            case FIXED_LEN_BYTE_ARRAY -> {
                if (t.typeLength <= 0) throw new ParquetFormatException("corrupt schema: fixed-length binary of length " + t.typeLength);
                need(pos, end, (long) t.typeLength * n, "PLAIN fixed-length values");
                for (int i = 0; i < n; i++) t.addBytes(buf, pos + t.typeLength * i, t.typeLength, out);
            }
            default -> throw new ParquetFormatException("PLAIN values of " + ValueText.typeName(t.physical) + " are not supported");
        }
    }

    /** RLE booleans (what v2 pages use for BOOLEAN): a 4-byte length, then the hybrid runs of 1-bit values. */
    static void rleBooleans(byte[] buf, int pos, int end, int n, Cells out) {
        need(pos, end, 4, "the RLE booleans' length");
        int len = Bits.int32(buf, pos);
        need(pos + 4, end, len, "RLE booleans of " + len + " bytes");
        int[] bits = new int[n];
        RleBitPackedHybrid.decode(buf, pos + 4, pos + 4 + len, 1, bits, n);
        for (int b : bits) out.add(Boolean.toString(b != 0), false);
    }

    /** DELTA_BINARY_PACKED INT32 / INT64 values. */
    static void deltaIntegers(ValueText t, byte[] buf, int pos, int end, int n, Cells out) {
        if (t.physical != INT32 && t.physical != INT64) {
            throw new ParquetFormatException("DELTA_BINARY_PACKED values of " + ValueText.typeName(t.physical) + " are not valid");
        }
        long[] v = exactly(DeltaBinaryPacked.decode(buf, pos, end, n).values(), n, "DELTA_BINARY_PACKED");
        for (long x : v) out.add(t.physical == INT32 ? t.ofInt32((int) x) : t.ofInt64(x), false);
    }

    /** DELTA_LENGTH_BYTE_ARRAY: the lengths delta-packed, then all the bytes one after the other. */
    static void deltaLengthByteArrays(ValueText t, byte[] buf, int pos, int end, int n, Cells out) {
        DeltaBinaryPacked.Result lengths = DeltaBinaryPacked.decode(buf, pos, end, n);
        int p = lengths.end();
        for (long len : exactly(lengths.values(), n, "DELTA_LENGTH_BYTE_ARRAY")) {
            if (len < 0) throw new ParquetFormatException("corrupt page: a string of length " + len);
            need(p, end, len, "a string of " + len + " bytes");
            t.addBytes(buf, p, (int) len, out);
            p += (int) len;
        }
    }

    /**
     * DELTA_BYTE_ARRAY (front coding): delta-packed prefix lengths, then the suffixes as
     * DELTA_LENGTH_BYTE_ARRAY; each value is the previous value's first {@code prefix} bytes and its
     * suffix. {@code previous} carries the last value across the pages of a column chunk (writers
     * that start each page afresh write a prefix of 0 first, which needs none).
     */
    static byte[] deltaByteArrays(ValueText t, byte[] buf, int pos, int end, int n, byte[] previous, Cells out) {
        DeltaBinaryPacked.Result prefixes = DeltaBinaryPacked.decode(buf, pos, end, n);
        DeltaBinaryPacked.Result suffixLengths = DeltaBinaryPacked.decode(buf, prefixes.end(), end, n);
        long[] prefix = exactly(prefixes.values(), n, "DELTA_BYTE_ARRAY"), suffix = exactly(suffixLengths.values(), n, "DELTA_BYTE_ARRAY");
        int p = suffixLengths.end();
        byte[] last = previous == null ? new byte[0] : previous;
        for (int i = 0; i < n; i++) {
            if (prefix[i] < 0 || prefix[i] > last.length || suffix[i] < 0) {
                throw new ParquetFormatException("corrupt DELTA_BYTE_ARRAY data: prefix " + prefix[i] + " of a " + last.length
                        + "-byte previous value, suffix " + suffix[i]);
            }
            need(p, end, suffix[i], "a suffix of " + suffix[i] + " bytes");
            byte[] value = new byte[(int) (prefix[i] + suffix[i])];
            System.arraycopy(last, 0, value, 0, (int) prefix[i]);
            System.arraycopy(buf, p, value, (int) prefix[i], (int) suffix[i]);
            p += (int) suffix[i];
            t.addBytes(value, 0, value.length, out);
            last = value;
        }
        return last;
    }

    /**
     * BYTE_STREAM_SPLIT (floats, doubles, integers, fixed-length): byte k of value i is at
     * {@code k * n + i}; reassembled into PLAIN order and decoded as PLAIN.
     */
    static void byteStreamSplit(ValueText t, byte[] buf, int pos, int end, int n, Cells out) {
        int width = switch (t.physical) {
            case INT32, FLOAT -> 4;
            case INT64, DOUBLE -> 8;
            case FIXED_LEN_BYTE_ARRAY -> t.typeLength;
            default -> throw new ParquetFormatException("BYTE_STREAM_SPLIT values of " + ValueText.typeName(t.physical) + " are not valid");
        };
        need(pos, end, (long) width * n, "BYTE_STREAM_SPLIT values");
        byte[] plain = new byte[width * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < width; k++) plain[i * width + k] = buf[pos + k * n + i];
        }
        plain(t, plain, 0, plain.length, n, out);
    }

    /** Dictionary indices (RLE_DICTIONARY / PLAIN_DICTIONARY): a bit-width byte, then hybrid runs. */
    static void dictionaryIndices(Cells dictionary, byte[] buf, int pos, int end, int n, Cells out) {
        if (dictionary == null) throw new ParquetFormatException("corrupt column: dictionary-encoded values without a dictionary page");
        if (n == 0) return;
        need(pos, end, 1, "the dictionary indices' bit width");
        int[] index = new int[n];
        RleBitPackedHybrid.decode(buf, pos + 1, end, buf[pos] & 0xFF, index, n);
        for (int i : index) {
            if (i < 0 || i >= dictionary.size) {
                throw new ParquetFormatException("corrupt page: dictionary index " + i + " of a dictionary of " + dictionary.size);
            }
            out.add(dictionary.text[i], dictionary.badUtf8.get(i));
        }
    }

    private static long[] exactly(long[] values, int n, String encoding) {
        if (values.length != n) {
            throw new ParquetFormatException("corrupt " + encoding + " data: " + values.length + " values where the page has " + n);
        }
        return values;
    }

    private static void need(int pos, int end, long bytes, String what) {
        if (bytes < 0 || bytes > end - pos) {
            throw new ParquetFormatException("corrupt page: it ends in the middle of " + what + " (" + Math.max(0, end - pos) + " bytes left)");
        }
    }
}
