package dev.resumo.train.data.parquet;

import static dev.resumo.train.data.parquet.ParquetFixturesTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.resumo.train.data.DatasetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files Resumo cannot read are refused in one line naming the file (and the column, where it is
 * about one) and what is wrong: never an ArrayIndexOutOfBoundsException or a stack trace.
 */
class ParquetErrorsTest {
    private static final List<String> COLUMNS = List.of("id", "text", "summary", "split");

    private static DatasetException refused(Path file) {
        return assertThrows(DatasetException.class, () -> ParquetFixturesTest.readAll(file, COLUMNS));
    }

    private static Path write(Path dir, String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void aFileCutShortSaysSo(@TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(fixture("snappy_dict_v1.parquet"));
        Path cut = write(dir, "cut.parquet", Arrays.copyOf(whole, whole.length / 2));
        DatasetException e = refused(cut);
        assertTrue(e.getMessage().startsWith(cut + ": not a complete Parquet file: it does not end with 'PAR1'"), e.getMessage());
        Path tiny = write(dir, "tiny.parquet", Arrays.copyOf(whole, 7));
        assertTrue(refused(tiny).getMessage().contains("tiny.parquet: not a Parquet file (7 bytes"), refused(tiny).getMessage());
    }

    @Test
    void wrongMagicIsNotParquet(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(fixture("none_plain_v1.parquet"));
        bytes[3] = '2';
        DatasetException e = refused(write(dir, "magic.parquet", bytes));
        assertTrue(e.getMessage().contains("magic.parquet: not a Parquet file (it does not start with 'PAR1')"), e.getMessage());
        Path text = write(dir, "text.parquet", "{\"text\": \"isto é JSON\", \"summary\": \"não Parquet\"}\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(refused(text).getMessage().contains("text.parquet: not a Parquet file"), refused(text).getMessage());
    }

    @Test
    void aGitLfsPointerSaysToPullTheObjects(@TempDir Path dir) throws Exception {
        Path pointer = write(dir, "train-00000-of-00001.parquet", ("version https://git-lfs.github.com/spec/v1\n"
                + "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n").getBytes(StandardCharsets.US_ASCII));
        DatasetException e = refused(pointer);
        assertTrue(e.getMessage().startsWith(pointer + ": a Git LFS pointer, not the Parquet file it stands for"), e.getMessage());
        assertTrue(e.getMessage().contains("git lfs pull"), e.getMessage());
    }

    @Test
    void aSnappyPageWhoseOwnSizeDisagreesWithItsHeaderIsCorrupt(@TempDir Path dir) throws Exception {
        // Snappy stores the decompressed size as its first varint: checked against the page header
        // before the output is allocated, so a damaged size field cannot ask for gigabytes.
        byte[] bytes = Files.readAllBytes(fixture("snappy_delta_v1.parquet"));
        int footerLength = Bits.int32(bytes, bytes.length - 8);
        FileMetadata md = FileMetadata.decode(Arrays.copyOfRange(bytes, bytes.length - 8 - footerLength, bytes.length - 8), 0, footerLength);
        int leaf = ParquetSchema.of(md.schema()).field("text").firstLeaf();
        FileMetadata.ColumnMetaData text = md.rowGroups().get(0).columns().get(leaf).metaData();
        long start = text.dictionaryPageOffset() >= 4 ? Math.min(text.dictionaryPageOffset(), text.dataPageOffset()) : text.dataPageOffset();
        PageHeader h = PageHeader.decode(bytes, (int) start, bytes.length);
        assertEquals(null, h.crc(), "the fixture's pages carry no checksum, which would fail first");
        bytes[h.headerEnd()] ^= 1; // the varint's lowest bit: a size one off
        DatasetException e = refused(write(dir, "size.parquet", bytes));
        assertTrue(e.getMessage().contains("size.parquet: column 'text'"), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt SNAPPY page: it holds"), e.getMessage());
    }

    @Test
    void anEncryptedFooterIsRefused(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(fixture("none_plain_v1.parquet"));
        bytes[bytes.length - 1] = 'E';
        DatasetException e = refused(write(dir, "secret.parquet", bytes));
        assertTrue(e.getMessage().contains("secret.parquet: the Parquet footer is encrypted ('PARE')"), e.getMessage());
    }

    @Test
    void aBadFooterLengthOrFooterIsCorruption(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(fixture("zstd_plain_v2.parquet"));
        byte[] length = bytes.clone();
        length[length.length - 5] = 0x7F; // footer length near 2 GB
        assertTrue(refused(write(dir, "length.parquet", length)).getMessage().contains("length.parquet: corrupt Parquet file: a footer of"));

        int footerLength = Bits.int32(bytes, bytes.length - 8);
        byte[] garbled = bytes.clone();
        Arrays.fill(garbled, bytes.length - 8 - footerLength, bytes.length - 8, (byte) 0xFF);
        DatasetException e = refused(write(dir, "footer.parquet", garbled));
        assertTrue(e.getMessage().startsWith(dir.resolve("footer.parquet") + ": corrupt Parquet footer (corrupt Thrift metadata:"), e.getMessage());
    }

    @Test
    void aDamagedPageIsNamedWithItsColumnAndRowGroup(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(fixture("snappy_dict_v1.parquet"));
        int footerLength = Bits.int32(bytes, bytes.length - 8);
        FileMetadata md = FileMetadata.decode(bytes, bytes.length - 8 - footerLength, footerLength);
        FileMetadata.ColumnMetaData text = md.rowGroups().get(1).columns().get(1).metaData();
        long start = Math.min(text.dictionaryPageOffset(), text.dataPageOffset()); // its dictionary page comes first
        int last = (int) (start + text.totalCompressedSize() - 3); // inside the chunk's last page body
        bytes[last] ^= 0x5A;
        DatasetException e = refused(write(dir, "damaged.parquet", bytes));
        assertEquals(dir.resolve("damaged.parquet") + ": column 'text' (row group 2 of 4): corrupt data page: its CRC does not match its bytes",
                e.getMessage());
    }

    @Test
    void unsupportedCodecIsNamed() {
        DatasetException e = refused(fixture("brotli.parquet"));
        assertTrue(e.getMessage().contains("brotli.parquet: column 'id' (row group 1 of 1): compression BROTLI is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("compression='zstd'"), e.getMessage());
    }

    /** Codec 5 (LZ4 with Hadoop's framing, deprecated) patched into a file's footer: refused by name. */
    @Test
    void deprecatedLz4IsNamed(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(fixture("lz4_raw_dict_v1.parquet"));
        // In the footer, ColumnMetaData's codec field (id 4, after path_in_schema, id 3) is the byte 0x15
        // (delta 1, i32) then zigzag(7) = 0x0E. Every column chunk's is patched to zigzag(5) = 0x0A.
        int footerLength = Bits.int32(bytes, bytes.length - 8);
        int patched = 0;
        for (int i = bytes.length - 8 - footerLength; i < bytes.length - 9; i++) {
            if (bytes[i] == 0x15 && bytes[i + 1] == 0x0E && isAfterPath(bytes, i)) {
                bytes[i + 1] = 0x0A;
                patched++;
            }
        }
        assertTrue(patched >= 4, "patched " + patched);
        DatasetException e = refused(write(dir, "lz4.parquet", bytes));
        assertTrue(e.getMessage().contains("compression LZ4 is not supported"), e.getMessage());
    }

    /** Whether the byte before {@code i} ends a path_in_schema list naming one of the fixture's columns. */
    private static boolean isAfterPath(byte[] b, int i) {
        for (String c : List.of("id", "text", "summary", "split", "element", "source", "words")) {
            byte[] name = c.getBytes(StandardCharsets.US_ASCII);
            if (i - name.length >= 0 && Arrays.equals(Arrays.copyOfRange(b, i - name.length, i), name)) return true;
        }
        return false;
    }

    /**
     * Bytes flipped anywhere in a file, a thousand times over several fixtures: each read either
     * succeeds (the byte was in statistics or a value) or is a DatasetException naming the file.
     */
    @Test
    void randomDamageIsAlwaysADatasetExceptionNamingTheFile(@TempDir Path dir) throws Exception {
        Random random = new Random(20240611);
        for (String v : List.of("none_plain_v1", "snappy_dict_v1", "gzip_dict_v2", "zstd_delta_v2", "snappy_delta_v1", "lz4_raw_dict_v1")) {
            byte[] original = Files.readAllBytes(fixture(v + ".parquet"));
            for (int trial = 0; trial < 170; trial++) {
                byte[] bytes = original.clone();
                int flips = 1 + random.nextInt(3);
                for (int k = 0; k < flips; k++) bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                Path f = write(dir, v + "-" + trial + ".parquet", bytes);
                try {
                    ParquetFixturesTest.readAll(f, COLUMNS);
                } catch (DatasetException e) {
                    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
                    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
                } catch (AssertionError e) {
                    // readAll asserts valid UTF-8: a flipped byte inside a string value is not a reader failure
                    if (!e.getMessage().contains("row")) throw e;
                } catch (RuntimeException | OutOfMemoryError e) {
                    fail(v + " trial " + trial + ": " + e, e);
                }
                Files.delete(f);
            }
        }
    }
}
