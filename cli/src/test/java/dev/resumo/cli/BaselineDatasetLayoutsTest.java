package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `--dataset` in train and eval takes CSV/TSV, TeMário and XL-Sum; baseline reads JSON lines only.
 * A CSV file was refused as "b.csv:1: not valid JSON (Unrecognized token 'text' ...)" and a TeMário
 * folder as "not a regular file": the error now says what the source is and what to do.
 */
class BaselineDatasetLayoutsTest {
    @TempDir
    Path dir;

    @Test
    void aCsvFileOrTemarioFolderIsNamedForWhatItIs() throws Exception {
        Path csv = dir.resolve("b.csv");
        Files.writeString(csv, "text,summary,split\nUm. Dois.,Um.,test\n");
        assertOneLineError(CliRun.run("baseline", "--dataset", csv.toString()),
                "--dataset " + csv + " is a CSV file; baseline reads JSON lines", "resumo eval");
        Path temario = dir.resolve("temario");
        Files.createDirectories(temario.resolve("Textos-fonte"));
        Files.createDirectories(temario.resolve("SumManuais"));
        assertOneLineError(CliRun.run("baseline", "--dataset", temario.toString()), "--dataset " + temario + " is a TeMário folder");
    }

    @Test
    void aJsonLinesFileUnderAnotherNameIsStillRead() throws Exception {
        Path txt = dir.resolve("data.txt");
        Files.writeString(txt, "{\"text\":\"Um. Dois.\",\"summary\":\"Um.\",\"split\":\"test\"}\n");
        CliRun r = CliRun.run("baseline", "--dataset", txt.toString(), "--json");
        assertEquals(0, r.code(), r.err());
    }

    private static void assertOneLineError(CliRun r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "'" + f + "' missing from: " + r.err());
    }
}
