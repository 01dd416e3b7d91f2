package dev.resumo.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadersTest {
    @Test
    void csvHandlesQuotesMultiLineFieldsAndBadRecords() {
        Columns cols = Columns.DEFAULT.withText("texto").withSummary("resumo");
        Dataset d = DatasetLoader.load(Fixtures.resource("quoted.csv"), DatasetOptions.DEFAULT.withColumns(cols));
        assertEquals(List.of("c1", "c2"), d.train().stream().map(Example::id).toList());
        assertEquals("Texto simples, com vírgula.", d.train().get(0).text());
        assertEquals("Primeira linha\nsegunda linha com \"aspas\".", d.train().get(1).text());
        assertEquals("Texto sem aspas de 5\" polegadas", d.test().get(0).text());
        assertEquals("c5", d.validation().get(0).id());
        assertEquals(2, d.report().rejectedCount(RejectReason.MALFORMED));
        List<String> where = d.report().rejected().stream().map(Rejection::describe).toList();
        assertTrue(where.get(0).startsWith("quoted.csv:6: malformed (expected 4 fields, found 5)"), where.toString());
        assertTrue(where.get(1).startsWith("quoted.csv:8: malformed (quote opened here is never closed)"), where.toString());
    }

    @Test
    void csvWithoutTheTextColumnNamesIt() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.load(Fixtures.resource("quoted.csv"), DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().contains("no column 'text'") && e.getMessage().contains("[id, texto, resumo, split]"), e.getMessage());
    }

    @Test
    void tsvWithQuotedTabAndNoSplitGoesThroughTheRatioPlan() {
        Dataset d = DatasetLoader.load(Fixtures.resource("plain.tsv"), DatasetOptions.DEFAULT);
        assertEquals(2, d.train().size(), "2 rows: round(0.2) = 0 go to validation/test");
        assertEquals("Campo \"citado\" com\ttab dentro", d.train().get(1).text());
    }

    @Test
    void temarioLayoutDecodesCp1252AndPairsFiles() {
        Dataset d = DatasetLoader.load(Fixtures.resource("temario"), DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)));
        assertEquals(List.of("ce01", "ce02"), d.train().stream().map(Example::id).toList());
        assertEquals("Ciência em ação\n\nPesquisadores da USP descobriram uma nova espécie de sapo na Mata Atlântica — a terceira “descoberta” do ano.",
                d.train().get(0).text());
        assertEquals("Café sobe 12% em São Paulo.", d.train().get(1).summary());
        assertEquals(2, d.report().rejectedCount(RejectReason.UNPAIRED), "op03 has no summary, Sum-xx09 has no text");
        Rejection enc = d.report().rejected().stream().filter(r -> r.reason() == RejectReason.BAD_ENCODING).findFirst().orElseThrow();
        assertEquals("temario/Textos-fonte/in04.txt:2: bad_encoding (byte 0x81 is not cp1252)", enc.describe());
    }

    @Test
    void xlsumArchiveIsReadThroughBzip2AndTar() {
        Path archive = Fixtures.resource("portuguese_XLSum_v2.0.tar.bz2");
        assertEquals(DatasetFormat.XLSUM, DatasetFormat.detect(archive));
        Dataset d = DatasetLoader.load(archive, DatasetOptions.DEFAULT.withStrict(true));
        assertEquals(List.of("pt-001", "pt-002", "pt-003"), d.train().stream().map(Example::id).toList());
        assertEquals("pt-004", d.validation().get(0).id());
        assertEquals("Exportações de café crescem 15%.", d.test().get(0).summary());
        assertTrue(d.test().get(0).text().startsWith("As exportações brasileiras"));
    }

    @Test
    void separateSplitFilesAndCrossFileLeaks(@TempDir Path dir) throws IOException {
        Path train = dir.resolve("train.jsonl"), test = dir.resolve("test.jsonl");
        Files.writeString(train, "{\"text\":\"Texto A.\",\"summary\":\"A\"}\n{\"text\":\"Texto B.\",\"summary\":\"B\"}\n");
        Files.writeString(test, "{\"text\":\"texto   b.\",\"summary\":\"B\"}\n");
        Dataset d = DatasetLoader.loadSplitFiles(train, null, test, DatasetOptions.DEFAULT);
        assertEquals(1, d.train().size());
        assertEquals(1, d.test().size());
        assertEquals(1, d.report().rejectedCount(RejectReason.LEAKED));
        assertEquals("train.jsonl:2: leaked (same text as test row test.jsonl:1)", d.report().rejected().get(0).describe());
    }

    @Test
    void ratioSplitIsSeededDisjointAndComplete(@TempDir Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) b.append("{\"id\":\"r").append(i).append("\",\"text\":\"Texto número ").append(i).append(".\",\"summary\":\"S\"}\n");
        Path f = dir.resolve("all.jsonl");
        Files.writeString(f, b);
        DatasetOptions o = DatasetOptions.DEFAULT.withRatio(new SplitPlan(0.1, 0.2, 7));
        Dataset d1 = DatasetLoader.load(f, o), d2 = DatasetLoader.load(f, o);
        assertEquals(70, d1.train().size());
        assertEquals(10, d1.validation().size());
        assertEquals(20, d1.test().size());
        assertEquals(d1, d2, "same seed, same split");
        Set<String> ids = new HashSet<>();
        for (Split s : Split.values()) d1.split(s).forEach(e -> ids.add(e.id()));
        assertEquals(100, ids.size());
        List<String> other = new ArrayList<>();
        DatasetLoader.load(f, o.withRatio(new SplitPlan(0.1, 0.2, 8))).test().forEach(e -> other.add(e.id()));
        assertTrue(!other.equals(d1.test().stream().map(Example::id).toList()), "another seed, another split");
    }
}
