package dev.resumo.engine.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Turns raw stored elements (a region of a mapped file or of a byte array) into float32 or int32.
 * One pass straight from the source into the destination array; F32 in native order is a single
 * bulk copy.
 */
final class ElementDecoder {
    private ElementDecoder() {}

    /**
     * Decodes {@code count} elements of {@code dtype} starting at byte {@code offset} of
     * {@code source} into {@code dst[0..count)}. Integer types become the nearest float (exact up
     * to 2^24); float8 values are float32 values, so they convert exactly. Throws
     * {@link IllegalArgumentException} for complex types, which have no float32 value.
     */
    static void toFloats(MemorySegment source, long offset, Dtype dtype, ByteOrder order, float[] dst, int count) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(source, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order), offset, dst, 0, count);
            case F16, BF16 -> halfToFloats(source, offset, dtype, order, dst, count);
            case F64 -> {
                ValueLayout.OfDouble layout = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) dst[i] = (float) source.get(layout, offset + 8L * i);
            }
            case I64 -> {
                ValueLayout.OfLong layout = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) dst[i] = source.get(layout, offset + 8L * i);
            }
            case U64 -> {
                ValueLayout.OfLong layout = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) dst[i] = unsignedLongToFloat(source.get(layout, offset + 8L * i));
            }
            case I32 -> {
                ValueLayout.OfInt layout = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) dst[i] = source.get(layout, offset + 4L * i);
            }
            case U32 -> {
                ValueLayout.OfInt layout = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) dst[i] = Integer.toUnsignedLong(source.get(layout, offset + 4L * i));
            }
            case I16 -> {
                ValueLayout.OfShort layout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) dst[i] = source.get(layout, offset + 2L * i);
            }
            case U16 -> {
                ValueLayout.OfShort layout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) dst[i] = Short.toUnsignedInt(source.get(layout, offset + 2L * i));
            }
            case I8 -> {
                for (int i = 0; i < count; i++) dst[i] = source.get(ValueLayout.JAVA_BYTE, offset + i);
            }
            case U8, BOOL -> {
                for (int i = 0; i < count; i++) dst[i] = Byte.toUnsignedInt(source.get(ValueLayout.JAVA_BYTE, offset + i));
            }
            case F8_E4M3 -> {
                for (int i = 0; i < count; i++) dst[i] = E4M3[Byte.toUnsignedInt(source.get(ValueLayout.JAVA_BYTE, offset + i))];
            }
            case F8_E5M2 -> {
                for (int i = 0; i < count; i++) dst[i] = E5M2[Byte.toUnsignedInt(source.get(ValueLayout.JAVA_BYTE, offset + i))];
            }
            case C64 -> throw new IllegalArgumentException(dtype + " (" + dtype.torchName()
                    + ") is complex; Resumo reads real-valued tensors only");
        }
    }

    /**
     * Decodes {@code count} integer elements into {@code dst}. Returns the index of the first value
     * that does not fit an int, or -1 when all fit. Throws {@link IllegalArgumentException} for
     * floating-point dtypes.
     */
    static int toInts(MemorySegment source, long offset, Dtype dtype, ByteOrder order, int[] dst, int count) {
        switch (dtype) {
            case I32 -> MemorySegment.copy(source, ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), offset, dst, 0, count);
            case I64, U64 -> {
                ValueLayout.OfLong layout = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) {
                    long v = source.get(layout, offset + 8L * i);
                    if (v != (int) v || (dtype == Dtype.U64 && v < 0)) return i;
                    dst[i] = (int) v;
                }
            }
            case U32 -> {
                ValueLayout.OfInt layout = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) {
                    int v = source.get(layout, offset + 4L * i);
                    if (v < 0) return i;
                    dst[i] = v;
                }
            }
            case I16 -> {
                ValueLayout.OfShort layout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) dst[i] = source.get(layout, offset + 2L * i);
            }
            case U16 -> {
                ValueLayout.OfShort layout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                for (int i = 0; i < count; i++) dst[i] = Short.toUnsignedInt(source.get(layout, offset + 2L * i));
            }
            case I8 -> {
                for (int i = 0; i < count; i++) dst[i] = source.get(ValueLayout.JAVA_BYTE, offset + i);
            }
            case U8, BOOL -> {
                for (int i = 0; i < count; i++) dst[i] = Byte.toUnsignedInt(source.get(ValueLayout.JAVA_BYTE, offset + i));
            }
            default -> throw new IllegalArgumentException(dtype + " is not an integer type");
        }
        return -1;
    }

    /** Elements per bulk copy: the chunk (16 KiB) stays in L1 while it is widened. */
    private static final int HALF_CHUNK = 8192;

    /**
     * 16-bit floats: bulk-copy a chunk of raw halves, then widen it. Per-element reads from a
     * shared mapping re-check the segment's liveness each time and ran ~3x slower.
     */
    private static void halfToFloats(MemorySegment source, long offset, Dtype dtype, ByteOrder order, float[] dst, int count) {
        ValueLayout.OfShort layout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        short[] chunk = new short[Math.min(HALF_CHUNK, count)];
        boolean bf16 = dtype == Dtype.BF16;
        for (int start = 0; start < count; start += HALF_CHUNK) {
            int n = Math.min(HALF_CHUNK, count - start);
            MemorySegment.copy(source, layout, offset + 2L * start, chunk, 0, n);
            if (bf16) {
                for (int i = 0; i < n; i++) dst[start + i] = Float.intBitsToFloat((chunk[i] & 0xffff) << 16);
            } else {
                for (int i = 0; i < n; i++) dst[start + i] = Float.float16ToFloat(chunk[i]);
            }
        }
    }

    /** Every float8 value by its bit pattern: 256 entries, one lookup per element. */
    private static final float[] E4M3 = new float[256];
    private static final float[] E5M2 = new float[256];

    static {
        for (int bits = 0; bits < 256; bits++) {
            E4M3[bits] = e4m3ToFloat(bits);
            E5M2[bits] = e5m2ToFloat(bits);
        }
    }

    /**
     * torch.float8_e4m3fn: sign, 4 exponent bits (bias 7), 3 mantissa bits. "fn": finite, no
     * infinities; the one NaN is S.1111.111, so S.1111.xxx otherwise are normal numbers up to ±448.
     * Exponent 0 is subnormal: mantissa/8 · 2^-6.
     */
    static float e4m3ToFloat(int bits) {
        int exponent = (bits >>> 3) & 0xf;
        int mantissa = bits & 0x7;
        float magnitude;
        if (exponent == 0xf && mantissa == 0x7) {
            magnitude = Float.NaN;
        } else if (exponent == 0) {
            magnitude = Math.scalb((float) mantissa, -6 - 3);
        } else {
            magnitude = Math.scalb((float) (8 | mantissa), exponent - 7 - 3);
        }
        return (bits & 0x80) != 0 ? -magnitude : magnitude;
    }

    /**
     * torch.float8_e5m2: IEEE-like, sign, 5 exponent bits (bias 15), 2 mantissa bits, with
     * infinities and NaNs: exactly the top byte of an IEEE half (float16), so widening that half is
     * exact, subnormals, ±inf and NaN included.
     */
    static float e5m2ToFloat(int bits) {
        return Float.float16ToFloat((short) (bits << 8));
    }

    /** bfloat16 is the top half of a float32: shifting it back up is exact. */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** float32 to bfloat16 bits, rounding to nearest even as PyTorch does; NaN stays a quiet NaN. */
    static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) return (short) 0x7fc0;
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    private static float unsignedLongToFloat(long v) {
        return v >= 0 ? (float) v : (float) (v >>> 1) * 2f;
    }
}
