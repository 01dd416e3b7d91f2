package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TeMário is distributed in cp1252, but copies converted to UTF-8 circulate. UTF-8's bytes for "ã"
 * (C3 A3) are valid cp1252 too, so such a copy was read as "Ã£" everywhere, without a rejection.
 */
class TemarioUtf8CopyTest {
    private static final String TEXT = "A seleção venceu em São Paulo.\r\nNão houve surpresa.", SUMMARY = "Seleção vence.";

    @Test
    void aUtf8CopyReadsAsTheCp1252Original(@TempDir Path dir) throws Exception {
        Path cp1252 = write(dir.resolve("original"), Charset.forName("windows-1252"), new byte[0]);
        Path utf8 = write(dir.resolve("convertida"), StandardCharsets.UTF_8, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        List<Example> expected = List.of(new Example("ce01", "A seleção venceu em São Paulo.\nNão houve surpresa.", SUMMARY));
        for (Path root : List.of(cp1252, utf8)) {
            Dataset d = DatasetLoader.load(root, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)).withStrict(true));
            assertEquals(expected, d.train(), root.toString());
        }
    }

    private static Path write(Path root, Charset charset, byte[] bom) throws Exception {
        Files.createDirectories(root.resolve("Textos-fonte"));
        Files.createDirectories(root.resolve("SumManuais"));
        Files.write(root.resolve("Textos-fonte/ce01.txt"), concat(bom, TEXT.getBytes(charset)));
        Files.write(root.resolve("SumManuais/Sum-ce01.txt"), SUMMARY.getBytes(charset));
        return root;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
