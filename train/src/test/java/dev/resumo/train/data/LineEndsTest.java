package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Line ends as Python's universal newlines (pandas, csv, datasets) read them: '\n', "\r\n" and a
 * lone '\r' (classic Mac; some exporters still write it). Only '\n' split lines before: a lone-CR
 * CSV was one header line, and a lone-CR JSON-lines file one row.
 */
class LineEndsTest {
    @Test
    void loneCrEndsLinesInCsv(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mac.csv");
        Files.writeString(file, "id,text,summary\ra,Texto um.,Um\rb,\"Texto\rdois.\",Dois\r");
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)).withStrict(true));
        assertEquals(List.of(new Example("a", "Texto um.", "Um"), new Example("b", "Texto\ndois.", "Dois")), d.train());
    }

    @Test
    void loneCrEndsLinesInJsonLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mac.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"text\":\"Texto um.\",\"summary\":\"Um\"}\r{\"id\":\"b\",\"text\":\"Texto dois.\",\"summary\":\"Dois\"}");
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)).withStrict(true));
        assertEquals(List.of("a", "b"), d.train().stream().map(Example::id).toList());
    }

    /** "\r\n" is one line end even when the read buffer (8192 bytes) ends between the two bytes. */
    @Test
    void crLfAcrossTheReadBufferIsOneLineEnd() throws Exception {
        String first = "x".repeat(8191);
        byte[] bytes = (first + "\r\nsecond\r\n\rfourth").getBytes(StandardCharsets.UTF_8);
        Lines lines = new Lines(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8);
        List<String> read = new ArrayList<>();
        while (lines.next()) read.add(lines.number() + ":" + (lines.text().equals(first) ? "first" : lines.text()));
        assertEquals(List.of("1:first", "2:second", "3:", "4:fourth"), read);
    }
}
