package dev.resumo.train.data.parquet;

/** Little-endian reads and least-significant-bit-first bit unpacking, as Parquet packs values. */
final class Bits {
    private Bits() {}

    /**
     * The {@code width}-bit value (0 to 64) starting {@code bitOffset} bits after byte {@code base};
     * the caller has checked that its bytes are in the array.
     */
    static long read(byte[] buf, int base, long bitOffset, int width) {
        if (width == 0) return 0;
        long v = 0;
        int got = 0;
        int index = base + (int) (bitOffset >>> 3);
        int shift = (int) (bitOffset & 7);
        while (got < width) {
            long b = (buf[index++] & 0xFF) >>> shift;
            v |= b << got;
            got += 8 - shift;
            shift = 0;
        }
        return width == 64 ? v : v & ((1L << width) - 1);
    }

    static int int32(byte[] buf, int pos) {
        return (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
    }

    static long int64(byte[] buf, int pos) {
        return (int32(buf, pos) & 0xFFFFFFFFL) | (long) int32(buf, pos + 4) << 32;
    }
}
