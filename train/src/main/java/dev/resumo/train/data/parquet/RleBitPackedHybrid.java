package dev.resumo.train.data.parquet;

/**
 * Parquet's RLE / bit-packed hybrid encoding: definition levels, dictionary indices and RLE
 * booleans. A run starts with a ULEB128 header; its low bit 0 is a repeated run ({@code header >> 1}
 * copies of one value stored in ceil(bitWidth / 8) little-endian bytes), 1 a bit-packed run of
 * {@code (header >> 1) * 8} values of {@code bitWidth} bits each, packed from the least significant
 * bit. Reads within [pos, end) only: data that ends early is a {@link ParquetFormatException}.
 */
final class RleBitPackedHybrid {
    private RleBitPackedHybrid() {}

    /** Decodes {@code count} values into {@code out}; returns the position after the runs that held them. */
    static int decode(byte[] buf, int pos, int end, int bitWidth, int[] out, int count) {
        if (bitWidth < 0 || bitWidth > 32) throw new ParquetFormatException("corrupt page: RLE bit width " + bitWidth);
        int n = 0;
        while (n < count) {
            if (pos >= end) throw new ParquetFormatException("corrupt page: RLE data ends after " + n + " of " + count + " values");
            long header = 0;
            for (int shift = 0; ; shift += 7) {
                if (pos >= end || shift > 35) throw new ParquetFormatException("corrupt page: a bad RLE run header");
                int b = buf[pos++] & 0xFF;
                header |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) break;
            }
            if ((header & 1) == 0) {
                long run = header >>> 1;
                int bytes = (bitWidth + 7) / 8;
                if (bytes > end - pos) throw new ParquetFormatException("corrupt page: an RLE run's value is cut off");
                int value = 0;
                for (int i = 0; i < bytes; i++) value |= (buf[pos + i] & 0xFF) << (8 * i);
                pos += bytes;
                if (run == 0) throw new ParquetFormatException("corrupt page: an RLE run of length 0");
                int take = (int) Math.min(run, count - n);
                for (int i = 0; i < take; i++) out[n++] = value;
            } else {
                long values = (header >>> 1) * 8;
                if (values == 0) throw new ParquetFormatException("corrupt page: a bit-packed run of 0 values");
                int take = (int) Math.min(values, count - n);
                // The run's last group may be padded past the values needed; only what is read must be there.
                long bitsNeeded = (long) take * bitWidth;
                if ((bitsNeeded + 7) / 8 > end - pos) {
                    throw new ParquetFormatException("corrupt page: a bit-packed run is cut off");
                }
                for (int i = 0; i < take; i++) out[n++] = (int) Bits.read(buf, pos, (long) i * bitWidth, bitWidth);
                long runBytes = values * bitWidth / 8;
                pos = (int) Math.min(end, pos + runBytes);
            }
        }
        return pos;
    }
}
