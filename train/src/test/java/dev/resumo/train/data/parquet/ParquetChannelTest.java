package dev.resumo.train.data.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.data.DatasetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Parquet file read through a plain {@link SeekableByteChannel} (what Beam's FileSystems give for
 * gs://, hdfs://, s3://) decodes to the rows the Path entry gives, and its errors name the file as
 * the caller named it; which columns hold strings is told apart from numbers.
 */
class ParquetChannelTest {
    private static final List<String> COLUMNS = List.of("id", "text", "summary", "split");

    /** Bytes in memory behind the SeekableByteChannel interface only (no FileChannel positional reads). */
    static final class BytesChannel implements SeekableByteChannel {
        private final byte[] bytes;
        private long position;
        private boolean open = true;
        int reads;

        BytesChannel(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer dst) {
            reads++;
            if (position >= bytes.length) return -1;
            // At most 1000 bytes a call: the reader must loop as over a network stream.
            int n = (int) Math.min(Math.min(dst.remaining(), 1000), bytes.length - position);
            dst.put(bytes, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    @Test
    void aChannelGivesTheRowsThePathGives() throws IOException {
        for (String variant : ParquetFixturesTest.VARIANTS) {
            Path file = ParquetFixturesTest.fixture(variant + ".parquet");
            BytesChannel channel = new BytesChannel(Files.readAllBytes(file));
            List<Map<String, String>> rows = new ArrayList<>();
            try (ParquetFile p = ParquetFile.open(channel, "mem://" + variant)) {
                for (int g = 0; g < p.rowGroupCount(); g++) {
                    Map<String, ParquetColumn> cols = p.readRowGroup(g, COLUMNS);
                    assertFalse(cols.get("id").holdsStrings(), "an int64 column holds numbers");
                    assertTrue(cols.get("text").holdsStrings());
                    for (int r = 0; r < p.rowGroupRows(g); r++) {
                        Map<String, String> row = new HashMap<>();
                        for (String c : COLUMNS) row.put(c, cols.get(c).get(r));
                        rows.add(row);
                    }
                }
            }
            assertEquals(ParquetFixturesTest.readAll(file, COLUMNS), rows, variant);
            assertEquals(ParquetFixturesTest.expected("expected.jsonl", COLUMNS), rows, variant);
            assertFalse(channel.isOpen(), "closing the file closes its channel");
            assertTrue(channel.reads > 1, "read through the channel");
        }
    }

    @Test
    void errorsNameTheFileAsGivenAndCloseTheChannel() {
        BytesChannel text = new BytesChannel("{\"id\": 1, \"text\": \"not parquet at all\"}\n".getBytes());
        DatasetException e = assertThrows(DatasetException.class, () -> ParquetFile.open(text, "gs://bucket/rows.parquet"));
        assertEquals("gs://bucket/rows.parquet: not a Parquet file (it does not start with 'PAR1')", e.getMessage());
        assertFalse(text.isOpen(), "a refused file's channel is closed");
    }

    @Test
    void numbersDecimalsAndBooleansAreNotStrings() {
        try (ParquetFile p = ParquetFile.open(ParquetFixturesTest.fixture("types_v1.parquet"))) {
            Map<String, ParquetColumn> cols = p.readRowGroup(0, List.of("text", "raw", "n32", "u64", "price", "f64", "flag"));
            assertTrue(cols.get("text").holdsStrings());
            assertTrue(cols.get("raw").holdsStrings(), "unannotated binary is read as UTF-8 text");
            for (String number : List.of("n32", "u64", "price", "f64", "flag")) assertFalse(cols.get(number).holdsStrings(), number);
        }
    }
}
