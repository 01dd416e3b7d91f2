package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RougeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.run(args);
    }

    private Path write(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }

    private static void assertOneLineError(CliRun r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "'" + f + "' missing from: " + r.err());
    }

    /**
     * The bootstrap's seed is --bootstrap-seed (eval's --seed is the sampling seed, as in every
     * command that generates); rouge still takes --seed as another name of it, not both at once.
     */
    @Test
    void bootstrapSeedAndItsOlderNameSeed() throws IOException {
        String[] words = {"governo", "anunciou", "plano", "chuva", "forte", "seleção", "venceu", "partida", "escola", "reforma"};
        List<String> refs = new java.util.ArrayList<>(), preds = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            refs.add(JSON.createObjectNode().put("id", "r" + i).put("summary", words[i] + " " + words[i + 1] + " " + words[i + 2]).toString());
            preds.add(JSON.createObjectNode().put("id", "r" + i).put("summary", words[i] + " " + words[(i * 3) % 10]).toString());
        }
        String r = write("refs.jsonl", refs.toArray(String[]::new)).toString(), p = write("preds.jsonl", preds.toArray(String[]::new)).toString();
        CliRun seven = run("rouge", "--predictions", p, "--references", r, "--json", "--bootstrap-seed", "7");
        assertEquals(0, seven.code(), seven.err());
        assertEquals(seven.out(), run("rouge", "--predictions", p, "--references", r, "--json", "--seed", "7").out());
        assertNotEquals(seven.out(), run("rouge", "--predictions", p, "--references", r, "--json", "--bootstrap-seed", "8").out(),
                "another seed, other resamples: other intervals");
        assertOneLineError(run("rouge", "--predictions", p, "--references", r, "--seed", "7", "--bootstrap-seed", "7"),
                "--seed and --bootstrap-seed are the same setting; give one");
        assertOneLineError(run("rouge", "--predictions", p, "--references", r, "--bootstrap-seed", "x"),
                "--bootstrap-seed: expected an integer, got 'x'");
    }

    @Test
    void jsonReportHasMeansCountAndIntervals() throws IOException {
        Path refs = write("refs.jsonl",
                "{\"id\": \"a\", \"summary\": \"Não é possível prever o resultado.\"}",
                "{\"id\": \"b\", \"summary\": \"O governo anunciou um pacote.\"}");
        Path preds = write("preds.jsonl",
                "{\"id\": \"b\", \"summary\": \"O governo anunciou um pacote.\"}",
                "{\"id\": \"a\", \"summary\": \"É impossível prever.\"}");
        CliRun r = run("rouge", "--predictions", preds.toString(), "--references", refs.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode report = JSON.readTree(r.out());
        assertEquals(2, report.get("count").asInt());
        // pair a: prediction tokens é, impossível, prever (3); reference has 6 tokens, 2 shared ("é", "prever")
        double aP = 2.0 / 3;
        double aR = 2.0 / 6;
        double aF = 2 * aP * aR / (aP + aR);
        assertEquals((1.0 + aP) / 2, report.get("rouge1").get("precision").asDouble(), 1e-12);
        assertEquals((1.0 + aR) / 2, report.get("rouge1").get("recall").asDouble(), 1e-12);
        assertEquals((1.0 + aF) / 2, report.get("rouge1").get("fmeasure").asDouble(), 1e-12);
        for (String type : new String[] {"rouge2", "rougeL", "rougeLsum"}) {
            assertTrue(report.get(type).has("fmeasure"), type);
            JsonNode interval = report.get("bootstrap").get(type);
            assertTrue(interval.get("low").get("fmeasure").asDouble() <= interval.get("high").get("fmeasure").asDouble());
        }
        assertEquals(1000, report.get("bootstrap").get("samples").asInt());
    }

    /**
     * One file of {"id", "summary", "reference"} lines, as `resumo eval --predictions` writes, scores
     * with --reference-field: before it, --field named the text in both files, so the file could
     * only be scored against itself (every ROUGE 1.0) or after splitting it in two.
     */
    @Test
    void referenceFieldScoresEvalsPredictionsFileAsItIs() throws IOException {
        Path both = write("predictions.jsonl",
                "{\"id\": \"a\", \"summary\": \"É impossível prever.\", \"reference\": \"Não é possível prever o resultado.\"}",
                "{\"id\": \"b\", \"summary\": \"O governo anunciou um pacote.\", \"reference\": \"O governo anunciou um pacote.\"}");
        Path refs = write("refs.jsonl",
                "{\"id\": \"a\", \"summary\": \"Não é possível prever o resultado.\"}",
                "{\"id\": \"b\", \"summary\": \"O governo anunciou um pacote.\"}");
        CliRun oneFile = run("rouge", "--predictions", both.toString(), "--references", both.toString(), "--reference-field",
                "reference", "--json");
        assertEquals(0, oneFile.code(), oneFile.err());
        CliRun twoFiles = run("rouge", "--predictions", both.toString(), "--references", refs.toString(), "--json");
        assertEquals(JSON.readTree(twoFiles.out()).get("rouge1"), JSON.readTree(oneFile.out()).get("rouge1"));
        assertTrue(JSON.readTree(oneFile.out()).get("rouge1").get("fmeasure").asDouble() < 1.0, "scored against the references");
        assertOneLineError(run("rouge", "--predictions", both.toString(), "--references", refs.toString(), "--reference-field",
                "reference"), "reference");
    }

    @Test
    void classicTokenizationLosesAccentedWords() throws IOException {
        Path refs = write("refs.jsonl", "{\"summary\": \"não é\"}");
        Path preds = write("preds.jsonl", "{\"summary\": \"é\"}");
        JsonNode pt = JSON.readTree(run("rouge", "--predictions", preds.toString(), "--references", refs.toString(),
                "--json").out());
        JsonNode classic = JSON.readTree(run("rouge", "--predictions", preds.toString(), "--references", refs.toString(),
                "--json", "--tokenization", "rouge-score").out());
        assertEquals(1.0, pt.get("rouge1").get("precision").asDouble(), 1e-12);
        assertEquals(0.0, classic.get("rouge1").get("precision").asDouble(), 1e-12); // "é" is no token at all
    }

    @Test
    void tableWithoutJson() throws IOException {
        Path f = write("same.jsonl", "{\"summary\": \"O time perdeu. O técnico saiu.\"}");
        CliRun r = run("rouge", "--predictions", f.toString(), "--references", f.toString(), "--stemmer");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rougeLsum     1.0000    1.0000    1.0000"), r.out());
        assertTrue(r.out().contains("stemmer on"), r.out());
    }

    @Test
    void missingFileIsNamed() throws IOException {
        Path refs = write("refs.jsonl", "{\"summary\": \"x\"}");
        assertOneLineError(run("rouge", "--predictions", dir.resolve("nope.jsonl").toString(), "--references", refs.toString()),
                "predictions file", "nope.jsonl", "does not exist");
        assertOneLineError(run("rouge", "--references", refs.toString()), "--predictions is required");
    }

    @Test
    void lineCountMismatchIsNamed() throws IOException {
        Path refs = write("refs.jsonl", "{\"summary\": \"x\"}", "{\"summary\": \"y\"}");
        Path preds = write("preds.jsonl", "{\"summary\": \"x\"}");
        assertOneLineError(run("rouge", "--predictions", preds.toString(), "--references", refs.toString()),
                "preds.jsonl has 1 rows", "refs.jsonl has 2");
    }

    @Test
    void missingFieldNamesFileAndLine() throws IOException {
        Path refs = write("refs.jsonl", "{\"summary\": \"x\"}", "{\"text\": \"y\"}");
        Path preds = write("preds.jsonl", "{\"summary\": \"x\"}", "{\"summary\": \"y\"}");
        assertOneLineError(run("rouge", "--predictions", preds.toString(), "--references", refs.toString()),
                "refs.jsonl:2", "no \"summary\" field");
        assertOneLineError(run("rouge", "--predictions", preds.toString(), "--references", refs.toString(), "--field", "text"),
                "preds.jsonl:1", "no \"text\" field");
    }

    /** A null summary was reported as a missing field, which sends the user looking for a typo in the name. */
    @Test
    void nullOrNonStringFieldIsSaidAsSuch() throws IOException {
        Path refs = write("refs.jsonl", "{\"id\": \"a\", \"summary\": \"x\"}", "{\"id\": \"b\", \"summary\": \"y\"}");
        Path nulls = write("nulls.jsonl", "{\"id\": \"a\", \"summary\": \"x\"}", "{\"id\": \"b\", \"summary\": null}");
        CliRun r = run("rouge", "--predictions", nulls.toString(), "--references", refs.toString());
        assertOneLineError(r, "nulls.jsonl:2", "\"summary\" is null, not a string");
        assertFalse(r.err().contains("no \"summary\" field"), r.err());
        Path number = write("number.jsonl", "{\"id\": \"a\", \"summary\": 3}", "{\"id\": \"b\", \"summary\": \"y\"}");
        assertOneLineError(run("rouge", "--predictions", number.toString(), "--references", refs.toString()),
                "number.jsonl:1", "\"summary\" is not a string");
    }

    @Test
    void idErrorsNameFileAndLine() throws IOException {
        Path refs = write("refs.jsonl", "{\"id\": 1, \"summary\": \"x\"}", "{\"id\": 2, \"summary\": \"y\"}");
        Path preds = write("preds.jsonl", "{\"id\": 1, \"summary\": \"x\"}", "{\"id\": 3, \"summary\": \"y\"}");
        assertOneLineError(run("rouge", "--predictions", preds.toString(), "--references", refs.toString()),
                "preds.jsonl:2", "id \"3\" has no row in references");
        Path dup = write("dup.jsonl", "{\"id\": 1, \"summary\": \"x\"}", "", "{\"id\": 1, \"summary\": \"y\"}");
        assertOneLineError(run("rouge", "--predictions", dup.toString(), "--references", refs.toString()),
                "dup.jsonl:3", "repeats line 1");
        Path bad = write("bad.jsonl", "{\"summary\": \"x\"", "{}");
        assertOneLineError(run("rouge", "--predictions", bad.toString(), "--references", refs.toString()),
                "bad.jsonl:1", "not valid JSON");
    }

    @Test
    void badFlagValuesAreOneLine() throws IOException {
        Path f = write("f.jsonl", "{\"summary\": \"x\"}");
        assertOneLineError(run("rouge", "--predictions", f.toString(), "--references", f.toString(), "--tokenization", "en"),
                "--tokenization", "expected one of pt, rouge-score");
        assertOneLineError(run("rouge", "--predictions", f.toString(), "--references", f.toString(), "--bootstrap-samples", "0"),
                "--bootstrap-samples");
    }

    @Test
    void baselineScoresLeadSentences() throws IOException {
        Path data = write("data.jsonl",
                "{\"text\": \"O Sr. Silva venceu. A posse é em janeiro. Houve festa.\", \"summary\": \"O Sr. Silva venceu.\", \"split\": \"test\"}",
                "{\"text\": \"Outro texto. Fora do teste.\", \"summary\": \"Nada a ver.\", \"split\": \"train\"}");
        JsonNode lead1 = JSON.readTree(run("baseline", "--dataset", data.toString(), "--lead", "1", "--json").out());
        assertEquals(1, lead1.get("count").asInt());
        assertEquals(1.0, lead1.get("rougeLsum").get("fmeasure").asDouble(), 1e-12);
        JsonNode lead3 = JSON.readTree(run("baseline", "--dataset", data.toString(), "--json").out());
        assertEquals(1.0, lead3.get("rouge1").get("recall").asDouble(), 1e-12);
        assertEquals(4.0 / 11, lead3.get("rouge1").get("precision").asDouble(), 1e-12);
        assertOneLineError(run("baseline", "--dataset", data.toString(), "--split", "dev"),
                "--dataset " + data + " has no validation examples (kept train 1, validation 0, test 1; rejected 0)");
        assertOneLineError(run("baseline", "--dataset", data.toString(), "--lead", "0"), "--lead");
        // Rows without split labels are split as train and eval split them (seeded 80/10/10): one row is all train.
        Path noSplit = write("nosplit.jsonl", "{\"text\": \"a\", \"summary\": \"a\"}");
        assertOneLineError(run("baseline", "--dataset", noSplit.toString()), "has no test examples (kept train 1, validation 0, test 0");
        assertEquals(1, JSON.readTree(run("baseline", "--dataset", noSplit.toString(), "--split", "all", "--json").out()).get("count").asInt());
        // A null split is not a split train could use: the row is rejected as unknown_split, as train rejects it.
        Path nullSplit = write("nullsplit.jsonl", "{\"text\": \"a\", \"summary\": \"a\", \"split\": null}");
        assertOneLineError(run("baseline", "--dataset", nullSplit.toString()), "nullsplit.jsonl: no usable rows", "1 unknown_split",
                "nullsplit.jsonl:1");
    }

    /**
     * baseline takes the rows eval takes: split synonyms on both sides, eval's column flag names (the
     * older ones still work); a row whose split train does not know is left out (counted on stderr).
     */
    @Test
    void baselineSplitsAndColumnsAreEvals() throws IOException {
        Path data = write("splits.jsonl",
                "{\"doc\": \"Um. Dois.\", \"ref\": \"Um.\", \"split\": \"dev\"}",
                "{\"doc\": \"Tres. Quatro.\", \"ref\": \"Tres.\", \"split\": \"validation\"}",
                "{\"doc\": \"Cinco.\", \"ref\": \"Cinco.\", \"split\": \"test\"}",
                "{\"doc\": \"Seis.\", \"ref\": \"Seis.\", \"split\": \"holdout\"}");
        for (String name : new String[] {"validation", "dev", "val"}) {
            CliRun r = run("baseline", "--dataset", data.toString(), "--split", name, "--text-column", "doc",
                    "--summary-column", "ref", "--json");
            assertEquals(2, JSON.readTree(r.out()).get("count").asInt(), name);
            assertEquals("dataset: kept train 0, validation 2, test 1; rejected 1 (1 unknown_split)", r.err().strip());
        }
        JsonNode all = JSON.readTree(run("baseline", "--dataset", data.toString(), "--split", "all", "--text-field", "doc",
                "--summary-field", "ref", "--json").out());
        assertEquals(3, all.get("count").asInt());
        assertOneLineError(run("baseline", "--dataset", data.toString(), "--text-column", "doc", "--text-field", "doc",
                "--summary-column", "ref"), "--text-column and --text-field are the same setting; give one");
    }
}
