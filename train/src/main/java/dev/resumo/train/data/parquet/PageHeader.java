package dev.resumo.train.data.parquet;

import static dev.resumo.train.data.parquet.ThriftCompactReader.STRUCT;

/**
 * A page's header (parquet.thrift's PageHeader with its DataPageHeader, DataPageHeaderV2 and
 * DictionaryPageHeader folded in): the page's type and sizes, and for its kind of page the value
 * count, the values' encoding and, for v1 data pages, the definition levels' encoding; for v2 data
 * pages the byte lengths of the (never compressed) level sections and whether the values are
 * compressed. Statistics and index pages are skipped.
 *
 * @param headerEnd where the page's body starts (the header's length is only known by reading it)
 */
record PageHeader(int type, int uncompressedSize, int compressedSize, Integer crc, int numValues, int encoding,
                  int definitionLevelEncoding, int definitionLevelsLength, int repetitionLevelsLength,
                  boolean valuesCompressed, int headerEnd) {
    static final int DATA_PAGE = 0, INDEX_PAGE = 1, DICTIONARY_PAGE = 2, DATA_PAGE_V2 = 3;

    static PageHeader decode(byte[] bytes, int offset, int limit) {
        ThriftCompactReader r = new ThriftCompactReader(bytes, offset, limit);
        int[] v = {-1, -1, -1};             // type, uncompressed size, compressed size
        Integer[] crc = {null};
        // numValues, encoding, definition level encoding, definition levels length, repetition levels length
        int[] page = {-1, -1, -1, 0, 0};
        boolean[] compressed = {true};      // DataPageHeaderV2.is_compressed defaults to true
        boolean[] hasPageHeader = {false};
        r.readStruct((id, t) -> {
            switch (id) {
                case 1 -> v[0] = r.i32(t);
                case 2 -> v[1] = r.i32(t);
                case 3 -> v[2] = r.i32(t);
                case 4 -> crc[0] = r.i32(t);
                case 5 -> { // DataPageHeader
                    hasPageHeader[0] = true;
                    expectStruct(t);
                    r.readStruct((f, ft) -> {
                        switch (f) {
                            case 1 -> page[0] = r.i32(ft);
                            case 2 -> page[1] = r.i32(ft);
                            case 3 -> page[2] = r.i32(ft);
                            default -> r.skip(ft); // 4: repetition level encoding (flat columns have none), 5: statistics
                        }
                    });
                }
                case 7 -> { // DictionaryPageHeader
                    hasPageHeader[0] = true;
                    expectStruct(t);
                    r.readStruct((f, ft) -> {
                        switch (f) {
                            case 1 -> page[0] = r.i32(ft);
                            case 2 -> page[1] = r.i32(ft);
                            default -> r.skip(ft);
                        }
                    });
                }
                case 8 -> { // DataPageHeaderV2
                    hasPageHeader[0] = true;
                    expectStruct(t);
                    r.readStruct((f, ft) -> {
                        switch (f) {
                            case 1 -> page[0] = r.i32(ft);
                            case 4 -> page[1] = r.i32(ft);
                            case 5 -> page[3] = r.i32(ft);
                            case 6 -> page[4] = r.i32(ft);
                            case 7 -> compressed[0] = r.bool(ft);
                            default -> r.skip(ft); // 2: num_nulls, 3: num_rows (levels say both), 8: statistics
                        }
                    });
                }
                default -> r.skip(t); // 6: IndexPageHeader
            }
        });
        if (v[0] < 0 || v[1] < 0 || v[2] < 0) {
            throw new ParquetFormatException("corrupt page header (type " + v[0] + ", sizes " + v[1] + " and " + v[2] + ")");
        }
        int type = v[0];
        if ((type == DATA_PAGE || type == DATA_PAGE_V2 || type == DICTIONARY_PAGE) && (!hasPageHeader[0] || page[0] < 0 || page[1] < 0)) {
            throw new ParquetFormatException("corrupt page header: a " + typeName(type) + " without its value count or encoding");
        }
        if (page[3] < 0 || page[4] < 0 || (long) page[3] + page[4] > v[2]) {
            throw new ParquetFormatException("corrupt v2 page header: level lengths " + page[4] + " + " + page[3]
                    + " exceed the page's " + v[2] + " bytes");
        }
        return new PageHeader(type, v[1], v[2], crc[0], page[0], page[1], page[2], page[3], page[4], compressed[0], r.position());
    }

    private static void expectStruct(int type) {
        if (type != STRUCT) throw new ParquetFormatException("corrupt page header: a page header field that is not a struct");
    }

    static String typeName(int type) {
        return switch (type) {
            case DATA_PAGE -> "data page";
            case INDEX_PAGE -> "index page";
            case DICTIONARY_PAGE -> "dictionary page";
            case DATA_PAGE_V2 -> "data page (v2)";
            default -> "page of type " + type;
        };
    }
}
