package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Portuguese data saved as Windows-1252/Latin-1 (Excel, older tools) or as UTF-16 (Excel's
 * "Unicode text"): each rejection names the bad byte and what to do, where "invalid UTF-8" alone
 * left the user guessing why most rows of a file were dropped.
 */
class EncodingHintsTest {
    private static final Charset CP1252 = Charset.forName("windows-1252");

    @Test
    void aWindows1252RowNamesTheByteAndTheConversion(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pt.csv");
        Files.write(file, "text,summary\nA seleção ganhou.,Vitória\nPlain text.,Plain\n".getBytes(CP1252));
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)));
        assertEquals(1, d.train().size());
        assertEquals("pt.csv:2: bad_encoding (invalid UTF-8: byte 0xE7 at byte 7 of the line; if the file is Latin-1 or "
                + "Windows-1252, convert it: iconv -f windows-1252 -t utf-8 IN > OUT)", d.report().rejected().get(0).describe());
    }

    @Test
    void aUtf16FileIsNamedAsSuch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("excel.tsv");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE});
        bytes.writeBytes("text\tsummary\nTexto.\tResumo\n".getBytes(StandardCharsets.UTF_16LE));
        Files.write(file, bytes.toByteArray());
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(file, DatasetOptions.DEFAULT));
        assertEquals("excel.tsv:1: the header row is not valid UTF-8 (the file is UTF-16, not UTF-8: it starts with a UTF-16 "
                + "byte-order mark; save it as UTF-8)", e.getMessage());
    }
}
