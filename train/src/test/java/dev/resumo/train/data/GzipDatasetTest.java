package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pandas and datasets read data.jsonl.gz / data.csv.gz as the uncompressed files; Resumo said it
 * could not tell the format and to rename the file, and a gzip file named .jsonl had every line
 * rejected as invalid UTF-8.
 */
class GzipDatasetTest {
    private static final String JSONL = "{\"id\":\"a\",\"text\":\"Texto um.\",\"summary\":\"Um\"}\n{\"id\":\"b\",\"text\":\"Texto dois.\",\"summary\":\"Dois\"}\n";

    @Test
    void gzippedJsonLinesAndCsvAreReadAsTheFilesInside(@TempDir Path dir) throws Exception {
        Path jsonl = dir.resolve("data.jsonl.gz"), csv = dir.resolve("data.CSV.GZ");
        Files.write(jsonl, gzip(JSONL));
        Files.write(csv, gzip("id,text,summary\na,Texto um.,Um\nb,Texto dois.,Dois\n"));
        assertEquals(DatasetFormat.JSONL, DatasetFormat.detect(jsonl));
        assertEquals(DatasetFormat.CSV, DatasetFormat.detect(csv));
        for (Path f : List.of(jsonl, csv)) {
            Dataset d = DatasetLoader.load(f, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)).withStrict(true));
            assertEquals(List.of(new Example("a", "Texto um.", "Um"), new Example("b", "Texto dois.", "Dois")), d.train(), f.toString());
        }
    }

    @Test
    void aGzipFileNamedJsonlIsRecognisedByItsBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.jsonl");
        Files.write(file, gzip(JSONL));
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)).withStrict(true));
        assertEquals(List.of("a", "b"), d.train().stream().map(Example::id).toList());
    }

    private static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** A gzip file's path that does not exist is a local file gone missing, not a hub dataset id to fetch. */
    @Test
    void aMissingGzipPathIsNotTakenForAHubId() {
        assertFalse(HubDatasets.isHubId("data/train.jsonl.gz"));
    }
}
