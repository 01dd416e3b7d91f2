package dev.resumo.train.data.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.train.data.DatasetException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The fixtures of parquet/make_parquet_fixtures.py (pyarrow 26.0.1) decode to exactly the rows it
 * wrote to expected.jsonl / types.expected.jsonl: every codec, dictionary and plain, the delta
 * encodings, data pages v1 and v2, several row groups and several pages per column chunk, nulls.
 */
class ParquetFixturesTest {
    static final List<String> VARIANTS = List.of("none_plain_v1", "snappy_dict_v1", "gzip_dict_v2", "zstd_plain_v2",
            "zstd_delta_v2", "snappy_delta_v1", "lz4_raw_dict_v1", "snappy_dict_fallback_v1");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path fixture(String name) {
        try {
            return Path.of(ParquetFixturesTest.class.getResource("/parquet/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource parquet/" + name + " missing", e);
        }
    }

    /** expected.jsonl's rows as text per column: JSON null stays null, numbers as their digits. */
    static List<Map<String, String>> expected(String file, List<String> columns) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(fixture(file))) {
            JsonNode node = JSON.readTree(line);
            Map<String, String> row = new HashMap<>();
            for (String c : columns) row.put(c, node.get(c).isNull() ? null : node.get(c).asText());
            rows.add(row);
        }
        return rows;
    }

    static List<Map<String, String>> readAll(Path file, List<String> columns) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (ParquetFile p = ParquetFile.open(file)) {
            for (int g = 0; g < p.rowGroupCount(); g++) {
                Map<String, ParquetColumn> cols = p.readRowGroup(g, columns);
                for (int r = 0; r < p.rowGroupRows(g); r++) {
                    Map<String, String> row = new HashMap<>();
                    for (String c : columns) {
                        assertFalse(cols.get(c).badUtf8(r), c + " row " + r);
                        row.put(c, cols.get(c).get(r));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none_plain_v1", "snappy_dict_v1", "gzip_dict_v2", "zstd_plain_v2", "zstd_delta_v2", "snappy_delta_v1",
            "lz4_raw_dict_v1", "snappy_dict_fallback_v1"})
    void eachVariantDecodesToTheExpectedRows(String variant) throws IOException {
        List<String> columns = List.of("id", "text", "summary", "split");
        Path file = fixture(variant + ".parquet");
        assertEquals(expected("expected.jsonl", columns), readAll(file, columns), variant);
        try (ParquetFile p = ParquetFile.open(file)) {
            assertEquals(List.of("id", "text", "summary", "split", "tags", "meta"), p.columns());
            assertEquals(14, p.rowCount());
        }
    }

    /** The fixtures exercise what they are named for: several row groups, several pages per chunk, the encodings. */
    @Test
    void theFixturesHaveSeveralRowGroupsPagesAndTheirEncodings() throws IOException {
        Map<String, Integer> rowGroups = Map.of("none_plain_v1", 3, "snappy_dict_v1", 4, "gzip_dict_v2", 3, "zstd_plain_v2", 2,
                "zstd_delta_v2", 2, "snappy_delta_v1", 1, "lz4_raw_dict_v1", 2, "snappy_dict_fallback_v1", 1);
        for (String v : VARIANTS) {
            try (ParquetFile p = ParquetFile.open(fixture(v + ".parquet"))) {
                assertEquals(rowGroups.get(v), p.rowGroupCount(), v);
            }
            List<PageHeader> pages = pages(fixture(v + ".parquet"), 1); // column 'text', first row group
            assertTrue(pages.stream().filter(h -> h.type() != PageHeader.DICTIONARY_PAGE).count() >= 2, v + ": " + pages);
            int dataPage = v.endsWith("v2") ? PageHeader.DATA_PAGE_V2 : PageHeader.DATA_PAGE;
            assertTrue(pages.stream().allMatch(h -> h.type() == dataPage || h.type() == PageHeader.DICTIONARY_PAGE), v);
        }
        assertTrue(encodings("snappy_delta_v1", 1).contains(ValueDecoders.DELTA_LENGTH_BYTE_ARRAY));
        assertTrue(encodings("zstd_delta_v2", 1).contains(ValueDecoders.DELTA_BYTE_ARRAY));
        assertTrue(encodings("zstd_delta_v2", 0).contains(ValueDecoders.DELTA_BINARY_PACKED));
        assertTrue(encodings("gzip_dict_v2", 1).contains(ValueDecoders.RLE_DICTIONARY));
        // The writer's dictionary filled up: dictionary-encoded pages, then PLAIN ones, in one chunk.
        List<Integer> fallback = encodings("snappy_dict_fallback_v1", 1);
        assertTrue(fallback.contains(ValueDecoders.RLE_DICTIONARY) && fallback.contains(ValueDecoders.PLAIN), fallback.toString());
        assertTrue(pages(fixture("snappy_dict_v1.parquet"), 1).stream().allMatch(h -> h.crc() != null), "checksummed pages");
    }

    @ParameterizedTest
    @ValueSource(strings = {"types_v1.parquet", "types_v2.parquet"})
    void otherTypesReadAsText(String file) throws IOException {
        List<String> columns = List.of("text", "summary", "n32", "flag", "f32", "f64", "u64", "price", "raw", "nothing");
        assertEquals(expected("types.expected.jsonl", columns), readAll(fixture(file), columns));
        try (ParquetFile p = ParquetFile.open(fixture(file))) {
            DatasetException day = assertThrows(DatasetException.class, () -> p.requireReadable("day"));
            assertTrue(day.getMessage().contains("column 'day'") && day.getMessage().contains("dates"), day.getMessage());
        }
    }

    @Test
    void nestedColumnsAreRefusedOnlyWhenAskedFor() {
        try (ParquetFile p = ParquetFile.open(fixture("snappy_dict_v1.parquet"))) {
            DatasetException list = assertThrows(DatasetException.class, () -> p.readRowGroup(0, List.of("tags")));
            assertTrue(list.getMessage().contains("snappy_dict_v1.parquet: column 'tags' is a list; Resumo reads flat string columns"),
                    list.getMessage());
            DatasetException struct = assertThrows(DatasetException.class, () -> p.requireReadable("meta"));
            assertTrue(struct.getMessage().contains("column 'meta' is a struct"), struct.getMessage());
        }
        try (ParquetFile p = ParquetFile.open(fixture("list_text.parquet"))) {
            assertThrows(DatasetException.class, () -> p.requireReadable("text"));
            assertEquals("Resumo dois.", p.readRowGroup(0, List.of("summary")).get("summary").get(1));
        }
    }

    @Test
    void invalidUtf8IsMarkedPerValue() {
        try (ParquetFile p = ParquetFile.open(fixture("bad_utf8.parquet"))) {
            ParquetColumn text = p.readRowGroup(0, List.of("text")).get("text");
            assertEquals("Texto válido.", text.get(0));
            assertFalse(text.badUtf8(0));
            assertTrue(text.badUtf8(1));
            assertFalse(text.badUtf8(2));
        }
    }

    private static List<Integer> encodings(String variant, int leaf) throws IOException {
        return pages(fixture(variant + ".parquet"), leaf).stream().filter(h -> h.type() != PageHeader.DICTIONARY_PAGE)
                .map(PageHeader::encoding).distinct().toList();
    }

    /** The page headers of one column chunk of the first row group, walked as the reader walks them. */
    private static List<PageHeader> pages(Path file, int leaf) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int footerLength = Bits.int32(bytes, bytes.length - 8);
        FileMetadata md = FileMetadata.decode(bytes, bytes.length - 8 - footerLength, footerLength);
        FileMetadata.ColumnMetaData c = md.rowGroups().get(0).columns().get(leaf).metaData();
        long start = c.dictionaryPageOffset() > 0 ? Math.min(c.dictionaryPageOffset(), c.dataPageOffset()) : c.dataPageOffset();
        List<PageHeader> pages = new ArrayList<>();
        int pos = (int) start, end = (int) (start + c.totalCompressedSize());
        while (pos < end) {
            PageHeader h = PageHeader.decode(bytes, pos, end);
            pages.add(h);
            pos = h.headerEnd() + h.compressedSize();
        }
        return pages;
    }
}
