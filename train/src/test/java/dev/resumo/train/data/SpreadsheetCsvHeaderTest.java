package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers as spreadsheets write them: a trailing delimiter gives unnamed columns ("text,summary,,"),
 * and exports often repeat a column the reader does not use. pandas reads both ("Unnamed: 2",
 * "note.1"); the whole file was refused for a repeat in columns Resumo never reads.
 */
class SpreadsheetCsvHeaderTest {
    @Test
    void unnamedTrailingColumnsAreRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("excel.csv");
        Files.writeString(file, "text,summary,,\r\nTexto um.,Um,,\r\nTexto dois.,Dois,,\r\n");
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)).withStrict(true));
        assertEquals(List.of("Texto um.", "Texto dois."), d.train().stream().map(Example::text).toList());
    }

    @Test
    void aRepeatedColumnThatIsNotReadIsIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("notes.tsv");
        Files.writeString(file, "id\tnote\ttext\tnote\tsummary\nr1\tx\tTexto um.\ty\tUm\n");
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)).withStrict(true));
        assertEquals(List.of(new Example("r1", "Texto um.", "Um")), d.train());
    }

    /** Blank lines before the header are skipped, as pandas does; a file of only blank lines or a BOM is empty. */
    @Test
    void blankLinesBeforeTheHeaderAreSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gap.csv");
        Files.writeString(file, "\uFEFF\r\n  \r\ntext,summary\r\nTexto um.,Um\r\n");
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)).withStrict(true));
        assertEquals(List.of(new Example("gap.csv:4", "Texto um.", "Um")), d.train());
        Path bomOnly = dir.resolve("bom.csv");
        Files.writeString(bomOnly, "\uFEFF\n\n");
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(bomOnly, DatasetOptions.DEFAULT));
        assertEquals("bom.csv: empty file (a header row naming the columns is required)", e.getMessage());
    }
}
