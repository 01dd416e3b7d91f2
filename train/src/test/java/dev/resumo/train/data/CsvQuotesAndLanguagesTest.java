package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quote left open in a CSV swallows the following rows: the rejection must account for them
 * (which lines it took in); two columns of one name and XL-Sum files of two languages are errors.
 */
class CsvQuotesAndLanguagesTest {
    @Test
    void anUnclosedQuoteNamesEveryLineItSwallowed(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("id,text,summary\n");
        for (int i = 1; i <= 10; i++) {
            // Line i + 1 holds row i; row 4 (line 5) lost its closing quote.
            csv.append("r").append(i).append(i == 4 ? ",\"text number " : ",\"text number ").append(i)
                    .append(i == 4 ? " is long," : " is long\",").append("summary ").append(i).append('\n');
        }
        Path file = dir.resolve("d.csv");
        Files.writeString(file, csv);
        Dataset d = DatasetLoader.load(file, DatasetOptions.DEFAULT);
        int kept = d.train().size() + d.validation().size() + d.test().size();
        assertEquals(8, kept, d.report().summary()); // rows 4 and 5 went into one malformed record
        assertEquals(1, d.report().rejected().size());
        Rejection r = d.report().rejected().get(0);
        assertEquals(5, r.line());
        assertTrue(r.detail().contains("spans lines 5-6 (2 lines)"), r.detail());
        assertTrue(r.detail().contains("rows on lines 6-6"), r.detail());
    }

    /** A file with no usable row says which row failed first and why, not only "1 malformed". */
    @Test
    void noUsableRowsNamesTheFirstRejectedRow(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "id,text,summary\nr1,\"never closed,summary one\n");
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(file, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().contains("no usable rows ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("; first: bad.csv:2: malformed (quote opened here is never closed)"), e.getMessage());
    }

    @Test
    void aHeaderNamingAColumnTwiceIsAnError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.csv");
        Files.writeString(file, "id,text,text,summary\n1,a,b,c\n");
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(file, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().contains("column 'text' twice (columns 2 and 3)"), e.getMessage());
    }

    @Test
    void xlsumFilesOfTwoLanguagesAreAnError(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("xlsum"));
        String row = "{\"id\":\"%s\",\"text\":\"texto %s\",\"summary\":\"resumo\"}\n";
        Files.writeString(folder.resolve("portuguese_train.jsonl"), row.formatted("a", "a"));
        Files.writeString(folder.resolve("spanish_val.jsonl"), row.formatted("b", "b"));
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(folder, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().contains("'portuguese'") && e.getMessage().contains("'spanish'"), e.getMessage());
    }
}
