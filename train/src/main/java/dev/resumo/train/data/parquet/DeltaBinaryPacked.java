package dev.resumo.train.data.parquet;

/**
 * DELTA_BINARY_PACKED: integers as deltas in bit-packed miniblocks. Resumo meets it in integer
 * columns and as the lengths inside DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (what pyarrow
 * writes for strings with {@code column_encoding=...} and Spark/parquet-mr with v2 pages).
 *
 * <p>Layout: header {@code <block size> <miniblocks per block> <value count> <first value (zigzag)>}
 * as ULEB128 varints; then blocks of {@code <min delta (zigzag)> <one bit width byte per miniblock>
 * <miniblocks>}, each miniblock {@code block size / miniblocks} deltas of its bit width. The last
 * block stops after the miniblock holding the last value (padded to a whole miniblock); later
 * miniblocks have a width byte but no data. Arithmetic wraps in 64 bits; INT32 values are the low
 * 32 bits, the same as wrapping in 32.
 */
final class DeltaBinaryPacked {
    private final byte[] buf;
    private int pos;
    private final int end;

    private DeltaBinaryPacked(byte[] buf, int pos, int end) {
        this.buf = buf;
        this.pos = pos;
        this.end = end;
    }

    /** The decoded values and where the encoded block ended (the next section starts there). */
    record Result(long[] values, int end) {}

    /**
     * Decodes the values at [pos, end). {@code maxValues} bounds the header's count (the page's value
     * count): a larger one is corruption, refused before allocating.
     */
    static Result decode(byte[] buf, int pos, int end, int maxValues) {
        return new DeltaBinaryPacked(buf, pos, end).decode(maxValues);
    }

    private Result decode(int maxValues) {
        long blockSize = uvarint(), miniblocks = uvarint(), count = uvarint();
        long first = zigzag(uvarint());
        if (count < 0 || count > maxValues) {
            throw new ParquetFormatException("corrupt DELTA_BINARY_PACKED data: " + count + " values in a page of " + maxValues);
        }
        // Writers use blocks of 128 (pyarrow, parquet-mr) or a few times that; a huge one is corruption.
        if (blockSize <= 0 || blockSize > (1 << 20) || blockSize % 128 != 0 || miniblocks <= 0 || blockSize % miniblocks != 0
                || (blockSize / miniblocks) % 32 != 0) {
            throw new ParquetFormatException("corrupt DELTA_BINARY_PACKED header: block size " + blockSize + ", " + miniblocks + " miniblocks");
        }
        int perMiniblock = (int) (blockSize / miniblocks);
        long[] out = new long[(int) count];
        if (count == 0) return new Result(out, pos);
        out[0] = first;
        int n = 1;
        long value = first;
        byte[] widths = new byte[(int) miniblocks];
        while (n < count) {
            long minDelta = zigzag(uvarint());
            if (miniblocks > end - pos) throw cutOff(n, count);
            System.arraycopy(buf, pos, widths, 0, (int) miniblocks);
            pos += (int) miniblocks;
            for (int m = 0; m < miniblocks && n < count; m++) {
                int width = widths[m] & 0xFF;
                if (width > 64) throw new ParquetFormatException("corrupt DELTA_BINARY_PACKED data: miniblock bit width " + width);
                long bytes = (long) perMiniblock * width / 8;
                if (bytes > end - pos) throw cutOff(n, count);
                int take = (int) Math.min(perMiniblock, count - n);
                for (int i = 0; i < take; i++) {
                    value += minDelta + Bits.read(buf, pos, (long) i * width, width);
                    out[n++] = value;
                }
                pos += (int) bytes;
            }
        }
        return new Result(out, pos);
    }

    private long uvarint() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) throw new ParquetFormatException("corrupt DELTA_BINARY_PACKED data: it ends inside a number");
            int b = buf[pos++] & 0xFF;
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new ParquetFormatException("corrupt DELTA_BINARY_PACKED data: a number longer than 10 bytes");
    }

    private static long zigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static ParquetFormatException cutOff(int n, long count) {
        return new ParquetFormatException("corrupt DELTA_BINARY_PACKED data: it ends after " + n + " of " + count + " values");
    }
}
