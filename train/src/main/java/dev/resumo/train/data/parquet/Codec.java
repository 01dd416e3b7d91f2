package dev.resumo.train.data.parquet;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Parquet's page compression codecs (parquet.thrift's CompressionCodec). UNCOMPRESSED, GZIP
 * (java.util.zip), and SNAPPY, ZSTD and LZ4_RAW through aircompressor: pure Java, no native
 * library, so the one-JVM promise holds. Snappy would be short to write here, but ZSTD is not, and
 * with aircompressor on the class path anyway its Snappy decoder (used by Trino on untrusted files,
 * bounds-checked) is one fewer decoder of ours to get wrong. aircompressor 0.27 reads through
 * sun.misc.Unsafe; every Resumo JVM runs with --sun-misc-unsafe-memory-access=allow (bin/java-env,
 * the Surefire argLine), so JDK 25 prints no warning.
 *
 * <p>LZ4 (codec 5: Hadoop's framing, or raw depending on the writer — the ambiguity that made
 * parquet-format deprecate it for LZ4_RAW), BROTLI and LZO are refused, naming the codec.
 */
final class Codec {
    static final int UNCOMPRESSED = 0, SNAPPY = 1, GZIP = 2, LZO = 3, BROTLI = 4, LZ4 = 5, ZSTD = 6, LZ4_RAW = 7;

    private Codec() {}

    static String name(int codec) {
        return switch (codec) {
            case UNCOMPRESSED -> "UNCOMPRESSED";
            case SNAPPY -> "SNAPPY";
            case GZIP -> "GZIP";
            case LZO -> "LZO";
            case BROTLI -> "BROTLI";
            case LZ4 -> "LZ4";
            case ZSTD -> "ZSTD";
            case LZ4_RAW -> "LZ4_RAW";
            default -> "codec " + codec;
        };
    }

    static boolean supported(int codec) {
        return codec == UNCOMPRESSED || codec == SNAPPY || codec == GZIP || codec == ZSTD || codec == LZ4_RAW;
    }

    /** Why {@code codec} is not read, for the error: null when it is. */
    static String unsupportedReason(int codec) {
        if (supported(codec)) return null;
        return "compression " + name(codec) + " is not supported (Resumo reads UNCOMPRESSED, SNAPPY, GZIP, ZSTD and LZ4_RAW;"
                + " rewrite the file with one of them, e.g. pyarrow.parquet.write_table(table, path, compression='zstd'))";
    }

    /**
     * Decompresses {@code length} bytes at {@code offset} into exactly {@code uncompressedSize} bytes;
     * anything else (bad data, a different size) is a {@link ParquetFormatException}.
     */
    static byte[] decompress(int codec, byte[] in, int offset, int length, int uncompressedSize) {
        if (codec == UNCOMPRESSED) {
            if (length != uncompressedSize) {
                throw new ParquetFormatException("corrupt page: " + length + " bytes stored uncompressed, header says " + uncompressedSize);
            }
            byte[] out = new byte[length];
            System.arraycopy(in, offset, out, 0, length);
            return out;
        }
        checkStoredSize(codec, in, offset, length, uncompressedSize);
        byte[] out = new byte[uncompressedSize];
        int n;
        try {
            n = switch (codec) {
                case SNAPPY -> new SnappyDecompressor().decompress(in, offset, length, out, 0, out.length);
                case ZSTD -> new ZstdDecompressor().decompress(in, offset, length, out, 0, out.length);
                case LZ4_RAW -> new Lz4Decompressor().decompress(in, offset, length, out, 0, out.length);
                case GZIP -> gunzip(in, offset, length, out);
                default -> throw new ParquetFormatException(unsupportedReason(codec));
            };
        } catch (MalformedInputException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new ParquetFormatException("corrupt " + name(codec) + " page: it does not decompress (" + e.getMessage() + ")", e);
        }
        if (n != uncompressedSize) {
            throw new ParquetFormatException("corrupt " + name(codec) + " page: " + n + " bytes decompressed, header says " + uncompressedSize);
        }
        return out;
    }

    /**
     * Snappy always, and ZSTD usually, store the decompressed size themselves: a page header that
     * disagrees is corrupt, and saying so before allocating keeps a damaged size field (the header's
     * and the chunk total it is checked against both come from the file) from asking for gigabytes.
     */
    private static void checkStoredSize(int codec, byte[] in, int offset, int length, int uncompressedSize) {
        long stored;
        try {
            stored = switch (codec) {
                case SNAPPY -> SnappyDecompressor.getUncompressedLength(in, offset);
                case ZSTD -> ZstdDecompressor.getDecompressedSize(in, offset, length); // -1 when the frame does not say
                default -> -1;
            };
        } catch (MalformedInputException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new ParquetFormatException("corrupt " + name(codec) + " page: it does not decompress (" + e.getMessage() + ")", e);
        }
        if (stored >= 0 && stored != uncompressedSize) {
            throw new ParquetFormatException("corrupt " + name(codec) + " page: it holds " + stored + " bytes, header says " + uncompressedSize);
        }
    }

    private static int gunzip(byte[] in, int offset, int length, byte[] out) {
        try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(in, offset, length))) {
            int n = z.readNBytes(out, 0, out.length);
            if (n == out.length && z.read() != -1) return n + 1; // more than the header said: reported as a size mismatch
            return n;
        } catch (IOException e) {
            throw new ParquetFormatException("corrupt GZIP page: it does not decompress (" + e.getMessage() + ")", e);
        }
    }
}
