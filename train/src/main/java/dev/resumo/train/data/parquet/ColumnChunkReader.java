package dev.resumo.train.data.parquet;

import static dev.resumo.train.data.parquet.ValueDecoders.BYTE_STREAM_SPLIT;
import static dev.resumo.train.data.parquet.ValueDecoders.DELTA_BINARY_PACKED;
import static dev.resumo.train.data.parquet.ValueDecoders.DELTA_BYTE_ARRAY;
import static dev.resumo.train.data.parquet.ValueDecoders.DELTA_LENGTH_BYTE_ARRAY;
import static dev.resumo.train.data.parquet.ValueDecoders.PLAIN;
import static dev.resumo.train.data.parquet.ValueDecoders.PLAIN_DICTIONARY;
import static dev.resumo.train.data.parquet.ValueDecoders.RLE;
import static dev.resumo.train.data.parquet.ValueDecoders.RLE_DICTIONARY;

import java.util.zip.CRC32;

/**
 * One flat column's chunk in one row group, from its bytes to one text value (or null) per row.
 * The chunk is a run of pages, each a Thrift page header and a body:
 * <ul>
 *   <li>a dictionary page (at most one, first): PLAIN values, compressed with the chunk's codec;</li>
 *   <li>v1 data pages: the whole body compressed; inside, for an OPTIONAL column, the definition
 *       levels (RLE hybrid behind a 4-byte length), then the non-null values;</li>
 *   <li>v2 data pages: repetition then definition levels first, never compressed, their byte
 *       lengths in the header and no length prefix; then the values, compressed unless the header
 *       says not;</li>
 *   <li>index pages, and page types unknown here, are skipped.</li>
 * </ul>
 * A flat column has no repetition levels and one level bit: 1 is a value, 0 a null. A page CRC,
 * where the writer put one, is checked, so a damaged page is named as such.
 */
final class ColumnChunkReader {
    private final byte[] chunk;
    private final int codec;
    private final ValueText valueText;
    private final int maxDefinitionLevel;
    private final int rows;
    /** The most bytes a page may claim to decompress to: the chunk's total, so corrupt sizes allocate nothing huge. */
    private final long maxPageSize;
    private final Cells out;
    private Cells dictionary;
    /** DELTA_BYTE_ARRAY's last value, carried from page to page. */
    private byte[] previous;

    private ColumnChunkReader(byte[] chunk, int codec, ValueText valueText, int maxDefinitionLevel, int rows, long maxPageSize) {
        this.chunk = chunk;
        this.maxPageSize = maxPageSize;
        this.codec = codec;
        this.valueText = valueText;
        this.maxDefinitionLevel = maxDefinitionLevel;
        this.rows = rows;
        this.out = new Cells(rows);
    }

    /**
     * The chunk's {@code rows} values; {@code chunk} holds exactly the chunk's bytes, and
     * {@code totalUncompressedSize} is the metadata's (or -1 when it has none).
     */
    static Cells read(byte[] chunk, int codec, ValueText valueText, int maxDefinitionLevel, int rows, long totalUncompressedSize) {
        // Without the total, a page decompresses to at most 1 GB: far beyond any real page (pyarrow writes 1 MB ones).
        long maxPageSize = totalUncompressedSize > 0 ? totalUncompressedSize : 1L << 30;
        return new ColumnChunkReader(chunk, codec, valueText, maxDefinitionLevel, rows, maxPageSize).readPages();
    }

    private Cells readPages() {
        int pos = 0;
        int pages = 0;
        while (out.size < rows) {
            if (pos >= chunk.length) {
                throw new ParquetFormatException("corrupt column chunk: it ends after " + out.size + " of " + rows + " values (" + pages + " pages)");
            }
            PageHeader h = PageHeader.decode(chunk, pos, chunk.length);
            int body = h.headerEnd();
            if (h.compressedSize() > chunk.length - body) {
                throw new ParquetFormatException("corrupt column chunk: a page of " + h.compressedSize() + " bytes runs past the chunk's end");
            }
            if (h.uncompressedSize() > maxPageSize) {
                throw new ParquetFormatException("corrupt page header: a page of " + h.uncompressedSize() + " bytes in a column chunk of "
                        + maxPageSize);
            }
            if (h.crc() != null) checkCrc(h, body);
            switch (h.type()) {
                case PageHeader.DICTIONARY_PAGE -> readDictionary(h, body);
                case PageHeader.DATA_PAGE -> readDataPageV1(h, body);
                case PageHeader.DATA_PAGE_V2 -> readDataPageV2(h, body);
                default -> { } // index pages (never written in practice) and page types newer than this reader
            }
            pos = body + h.compressedSize();
            pages++;
        }
        return out;
    }

    private void checkCrc(PageHeader h, int body) {
        CRC32 crc = new CRC32();
        crc.update(chunk, body, h.compressedSize());
        if ((int) crc.getValue() != h.crc()) {
            throw new ParquetFormatException("corrupt " + PageHeader.typeName(h.type()) + ": its CRC does not match its bytes");
        }
    }

    private void readDictionary(PageHeader h, int body) {
        if (dictionary != null) throw new ParquetFormatException("corrupt column chunk: a second dictionary page");
        if (h.encoding() != PLAIN && h.encoding() != PLAIN_DICTIONARY) {
            throw new ParquetFormatException("a dictionary page in encoding " + ValueDecoders.encodingName(h.encoding()) + " is not supported");
        }
        byte[] data = Codec.decompress(codec, chunk, body, h.compressedSize(), h.uncompressedSize());
        // Every entry takes at least a bit: a larger count is corruption, refused before allocating for it.
        if (h.numValues() > 8L * data.length + 8) {
            throw new ParquetFormatException("corrupt dictionary page: " + h.numValues() + " values in " + data.length + " bytes");
        }
        dictionary = new Cells(h.numValues());
        ValueDecoders.plain(valueText, data, 0, data.length, h.numValues(), dictionary);
    }

    private void readDataPageV1(PageHeader h, int body) {
        int n = checkedValueCount(h);
        byte[] data = Codec.decompress(codec, chunk, body, h.compressedSize(), h.uncompressedSize());
        int pos = 0;
        int[] levels = null;
        if (maxDefinitionLevel > 0) {
            if (h.definitionLevelEncoding() != RLE) {
                throw new ParquetFormatException("definition levels in encoding " + ValueDecoders.encodingName(h.definitionLevelEncoding())
                        + " are not supported (only RLE, what current writers use)");
            }
            if (data.length < 4) throw new ParquetFormatException("corrupt data page: no room for its definition levels");
            int len = Bits.int32(data, 0);
            if (len < 0 || len > data.length - 4) {
                throw new ParquetFormatException("corrupt data page: definition levels of " + len + " bytes in a page of " + data.length);
            }
            levels = new int[n];
            RleBitPackedHybrid.decode(data, 4, 4 + len, 1, levels, n);
            pos = 4 + len;
        }
        readValues(h.encoding(), data, pos, data.length, n, levels);
    }

    private void readDataPageV2(PageHeader h, int body) {
        int n = checkedValueCount(h);
        int repLen = h.repetitionLevelsLength(), defLen = h.definitionLevelsLength();
        int[] levels = null;
        if (maxDefinitionLevel > 0) {
            levels = new int[n];
            RleBitPackedHybrid.decode(chunk, body + repLen, body + repLen + defLen, 1, levels, n);
        }
        int valuesStart = body + repLen + defLen;
        int valuesLength = h.compressedSize() - repLen - defLen;
        if (h.valuesCompressed() && codec != Codec.UNCOMPRESSED) {
            int uncompressed = h.uncompressedSize() - repLen - defLen;
            if (uncompressed < 0) throw new ParquetFormatException("corrupt data page (v2): levels larger than the page");
            byte[] data = Codec.decompress(codec, chunk, valuesStart, valuesLength, uncompressed);
            readValues(h.encoding(), data, 0, data.length, n, levels);
        } else {
            readValues(h.encoding(), chunk, valuesStart, valuesStart + valuesLength, n, levels);
        }
    }

    private int checkedValueCount(PageHeader h) {
        if (h.numValues() < 0 || h.numValues() > rows - out.size) {
            throw new ParquetFormatException("corrupt data page: " + h.numValues() + " values where " + (rows - out.size) + " rows are left");
        }
        return h.numValues();
    }

    /** Decodes the page's non-null values and places them at the rows whose level says "present". */
    private void readValues(int encoding, byte[] buf, int pos, int end, int n, int[] levels) {
        int present = n;
        if (levels != null) {
            present = 0;
            for (int level : levels) if (level == maxDefinitionLevel) present++;
        }
        Cells values = new Cells(present);
        switch (encoding) {
            case PLAIN -> ValueDecoders.plain(valueText, buf, pos, end, present, values);
            case PLAIN_DICTIONARY, RLE_DICTIONARY -> ValueDecoders.dictionaryIndices(dictionary, buf, pos, end, present, values);
            case RLE -> {
                if (valueText.physical != ValueText.BOOLEAN) throw unsupportedEncoding(encoding);
                ValueDecoders.rleBooleans(buf, pos, end, present, values);
            }
            case DELTA_BINARY_PACKED -> ValueDecoders.deltaIntegers(valueText, buf, pos, end, present, values);
            case DELTA_LENGTH_BYTE_ARRAY -> {
                if (valueText.physical != ValueText.BYTE_ARRAY) throw unsupportedEncoding(encoding);
                ValueDecoders.deltaLengthByteArrays(valueText, buf, pos, end, present, values);
            }
            case DELTA_BYTE_ARRAY -> {
                if (valueText.physical != ValueText.BYTE_ARRAY && valueText.physical != ValueText.FIXED_LEN_BYTE_ARRAY) {
                    throw unsupportedEncoding(encoding);
                }
                previous = ValueDecoders.deltaByteArrays(valueText, buf, pos, end, present, previous, values);
            }
            case BYTE_STREAM_SPLIT -> ValueDecoders.byteStreamSplit(valueText, buf, pos, end, present, values);
            default -> throw unsupportedEncoding(encoding);
        }
        if (values.size != present) {
            throw new ParquetFormatException("corrupt data page: " + values.size + " values decoded where its levels say " + present);
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (levels == null || levels[i] == maxDefinitionLevel) {
                out.add(values.text[k], values.badUtf8.get(k));
                k++;
            } else {
                out.addNull();
            }
        }
    }

    private ParquetFormatException unsupportedEncoding(int encoding) {
        return new ParquetFormatException("values in encoding " + ValueDecoders.encodingName(encoding) + " of a "
                + ValueText.typeName(valueText.physical) + " column are not supported");
    }
}
