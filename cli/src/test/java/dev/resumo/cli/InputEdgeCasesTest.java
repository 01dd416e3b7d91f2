package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs the QA sweep found mishandled: blank texts, rows eval left out silently, ids on one side
 * of rouge, huge bootstrap counts, a UTF-8 byte-order mark, and messages that did not say what was wrong.
 */
class InputEdgeCasesTest {
    private static final String BOM = "\uFEFF";
    private static final String ROW_A = "{\"id\": \"a\", \"text\": \"A prefeitura abriu vagas em cursos. As aulas começam em março.\", "
            + "\"summary\": \"A prefeitura abriu vagas em cursos gratuitos.\", \"split\": \"test\"}\n";
    private static final String ROW_B = "{\"id\": \"b\", \"text\": \"A chuva deixou famílias desalojadas. A água chegou a um metro.\", "
            + "\"summary\": \"Chuva deixou famílias desalojadas em Anápolis.\", \"split\": \"test\"}\n";

    @TempDir
    static Path shared;
    private static Path model;

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyRandomModel.create(shared);
    }

    @Test
    void blankTextIsRefusedNotSummarized(@TempDir Path dir) throws Exception {
        for (String text : new String[] {"", "   "}) {
            CliRun r = CliRun.run("summarize", "--model", model.toString(), "--text", text, "--max-new-tokens", "2");
            assertEquals(2, r.code(), r.out());
            assertTrue(r.err().contains("--text must not be blank"), r.err());
            assertEquals("", r.out());
        }
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, ROW_A + "{\"text\": \" \"}\n");
        CliRun r = CliRun.run("summarize", "--model", model.toString(), "--input", in.toString(), "--max-new-tokens", "2");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains(in + ":2: \"text\" is blank"), r.err());
    }

    @Test
    void evalCountsTheRowsItLeavesOutPerReason(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data.jsonl");
        Files.writeString(data, ROW_A + "{\"id\": \"c\", \"text\": broken\n" + ROW_B);
        CliRun r = CliRun.run("eval", "--model", model.toString(), "--dataset", data.toString(), "--max-new-tokens", "2",
                "--bootstrap-samples", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("2 test examples summarized"), r.err());
        assertTrue(r.err().contains("rejected 1 (1 "), "the malformed row must be reported: " + r.err());

        Path onlyBad = dir.resolve("bad.jsonl");
        Files.writeString(onlyBad, ROW_A.replace("\"test\"", "\"train\"") + "{\"text\": \"x\", \"summary\": \"y\", \"split\": \"test\", \"id\": 5, oops}\n");
        CliRun none = CliRun.run("eval", "--model", model.toString(), "--dataset", onlyBad.toString(), "--bootstrap-samples", "5");
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("has no test examples") && none.err().contains("rejected 1 (1 "), none.err());
    }

    @Test
    void rougeRefusesIdsOnOneSideOnly(@TempDir Path dir) throws Exception {
        Path withIds = dir.resolve("with.jsonl");
        Files.writeString(withIds, ROW_B + ROW_A);
        Path without = dir.resolve("without.jsonl");
        Files.writeString(without, "{\"summary\": \"A prefeitura abriu vagas.\"}\n{\"summary\": \"Chuva deixou famílias.\"}\n");
        for (String[] files : new String[][] {{withIds.toString(), without.toString()}, {without.toString(), withIds.toString()}}) {
            CliRun r = CliRun.run("rouge", "--predictions", files[0], "--references", files[1], "--bootstrap-samples", "5");
            assertEquals(2, r.code(), r.out());
            assertTrue(r.err().contains("has \"id\" fields but") && r.err().contains(without.toString()), r.err());
        }
    }

    @Test
    void hugeBootstrapCountsAreRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data.jsonl");
        Files.writeString(data, ROW_A + ROW_B);
        String[][] commands = {
            {"rouge", "--predictions", data.toString(), "--references", data.toString()},
            {"baseline", "--dataset", data.toString()},
            {"eval", "--model", model.toString(), "--dataset", data.toString(), "--max-new-tokens", "2"},
        };
        for (String[] c : commands) {
            String[] args = java.util.Arrays.copyOf(c, c.length + 2);
            args[c.length] = "--bootstrap-samples";
            args[c.length + 1] = "2000000000";
            CliRun r = CliRun.run(args);
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertTrue(r.err().contains("--bootstrap-samples: at most 100000, got 2000000000"), r.err());
            assertFalse(r.err().contains("summarized"), "refused before generating (progress is on stderr): " + r.err());
        }
    }

    @Test
    void aLeadingByteOrderMarkIsSkipped(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("plain.jsonl");
        Files.writeString(plain, ROW_A + ROW_B);
        Path bom = dir.resolve("bom.jsonl");
        Files.writeString(bom, BOM + ROW_A + ROW_B);
        String[][] commands = {
            {"rouge", "--predictions", "FILE", "--references", plain.toString(), "--bootstrap-samples", "5"},
            {"baseline", "--dataset", "FILE", "--bootstrap-samples", "5"},
            {"tokenize", "--tokenizer", model.toString(), "--input", "FILE"},
            {"summarize", "--model", model.toString(), "--input", "FILE", "--max-new-tokens", "2"},
            {"score", "--model", model.toString(), "--input", "FILE"},
        };
        for (String[] c : commands) {
            CliRun withBom = CliRun.run(replace(c, bom));
            assertEquals(0, withBom.code(), c[0] + ": " + withBom.err());
            CliRun without = CliRun.run(replace(c, plain));
            assertEquals(without.out().replace(plain.toString(), "F"), withBom.out().replace(bom.toString(), "F"),
                    c[0] + ": the mark must change nothing");
        }
    }

    private static String[] replace(String[] args, Path file) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) if (out[i].equals("FILE")) out[i] = file.toString();
        return out;
    }

    @Test
    void messagesSayWhatIsWrong(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nonexist.jsonl");
        CliRun tok = CliRun.run("tokenize", "--tokenizer", model.toString(), "--input", missing.toString());
        assertEquals(2, tok.code());
        assertTrue(tok.err().contains("cannot read " + missing + ": no such file"), tok.err());

        CliRun folder = CliRun.run("summarize", "--model", model.toString(), "--input", dir.toString());
        assertEquals(2, folder.code());
        assertTrue(folder.err().contains("--input " + dir + " is a directory"), folder.err());

        CliRun config = CliRun.run("tokenize", "--tokenizer", model.resolve("config.json").toString(), "--text", "x");
        assertEquals(2, config.code());
        assertTrue(config.err().contains("is not a tokenizer.json"), config.err());

        Path nullSummary = dir.resolve("null.jsonl");
        Files.writeString(nullSummary, "{\"text\": \"abc\", \"summary\": null}\n");
        CliRun score = CliRun.run("score", "--model", model.toString(), "--input", nullSummary.toString());
        assertEquals(2, score.code());
        assertTrue(score.err().contains(":1: \"summary\" is null, not a string"), score.err());

        CliRun convert = CliRun.run("convert", "--input", model.resolve("model.safetensors").toString(), "--output", dir.toString(), "--force");
        assertEquals(2, convert.code());
        assertTrue(convert.err().contains("--output " + dir + " is a directory"), convert.err());
    }
}
