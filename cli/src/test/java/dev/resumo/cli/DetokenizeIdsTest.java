package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.tokenizer.T5Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `detokenize` id parsing: no empty list or element, ASCII digits only, too-large ids out of range. */
class DetokenizeIdsTest {
    @TempDir
    Path dir;
    private Path model;
    private int vocab;

    @BeforeEach
    void findModel() {
        model = SmallSpieceModel.path();
        vocab = T5Tokenizer.load(model).vocabSize();
    }

    private CliRun ids(String list) {
        return CliRun.run("detokenize", "--tokenizer", model.toString(), "--ids", list);
    }

    private void refused(CliRun r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void emptyListsAndEmptyElementsAreRefused() {
        refused(ids(""), "--ids is empty");
        refused(ids("  "), "--ids is empty");
        refused(ids(","), "--ids: element 1 of ',' is empty");
        refused(ids("17,,18"), "--ids: element 2 of '17,,18' is empty");
        refused(ids("17,"), "--ids: element 2 of '17,' is empty");
    }

    @Test
    void onlyAsciiDigitsAreIds() {
        refused(ids("\uFF11\uFF17"), "--ids: '\uFF11\uFF17' is not an integer");
        refused(ids("17,\u0661"), "--ids: '\u0661' is not an integer"); // Arabic-Indic one
        refused(ids("+17"), "--ids: '+17' is not an integer");
        refused(ids("-"), "--ids: '-' is not an integer");
        refused(ids("-1"), "--ids: id -1 is out of range (the vocabulary has " + vocab + " ids");
        CliRun ok = ids(" 17 , 18");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("{\"text\":"), ok.out());
    }

    @Test
    void idsTooLargeForAnIntAreOutOfRangeNotNonIntegers() throws Exception {
        refused(ids("99999999999"), "--ids: id 99999999999 is out of range (the vocabulary has " + vocab + " ids");
        refused(ids(String.valueOf(vocab)), "--ids: id " + vocab + " is out of range");
        Path in = dir.resolve("ids.jsonl");
        Files.writeString(in, "{\"ids\": [1, 99999999999]}\n");
        refused(CliRun.run("detokenize", "--tokenizer", model.toString(), "--input", in.toString()),
                in + " line 1: id 99999999999 is out of range (the vocabulary has " + vocab + " ids");
        Files.writeString(in, "{\"ids\": [1, 2.5]}\n");
        refused(CliRun.run("detokenize", "--tokenizer", model.toString(), "--input", in.toString()),
                in + " line 1: ids[1] is 2.5, not an integer");
    }
}
