package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.io.SafetensorsFile;
import dev.resumo.t5.Scorer;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import dev.resumo.tokenizer.T5Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo summarize` and `resumo score` end to end on the golden tiny model (ReLU, tied) with the
 * real PTT5 SentencePiece model, both read in place from ../shared. A Parquet --input gives the
 * results its rows give as JSON lines, and the same one-line errors.
 */
class SummarizeScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Parquet --input fixtures: train's, made by train/src/test/resources/parquet/make_parquet_fixtures.py. */
    private static final Path PARQUET_FIXTURES = Path.of("..", "train", "src", "test", "resources", "parquet");
    private static Path model;
    private static Path spiece;

    @BeforeAll
    static void locate() {
        model = GoldenCliFiles.model();
        spiece = GoldenCliFiles.spiece();
    }

    private static void needShared() {
        GoldenCliFiles.need("CLI end-to-end test");
    }

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void summarizeTextMatchesTheGoldenGreedyOutput() throws Exception {
        needShared();
        // Row 0 of generate.safetensors is the golden greedy output for a known input: decode that
        // input back with the tokenizer and summarize it through the CLI.
        Path gen = model.resolve("generate.safetensors");
        int[] ids;
        int[] greedy;
        int width;
        int outWidth;
        try (SafetensorsFile f = SafetensorsFile.open(gen)) {
            ids = f.loadInts("input_ids");
            greedy = f.loadInts("greedy");
            width = f.info("input_ids").shape()[1];
            outWidth = f.info("greedy").shape()[1];
        }
        T5Tokenizer tok = T5Tokenizer.load(spiece);
        int[] row0 = Arrays.copyOf(ids, width);
        String text = tok.decode(row0);
        assumeTrue(Arrays.equals(tok.encode(text), trimPad(row0)),
                "the golden input does not survive decode→encode; this check needs one that does");
        CliRun r = run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(),
                "--text", text, "--prefix", "", "--max-new-tokens", "16");
        assertEquals(0, r.code(), r.err());
        JsonNode row = JSON.readTree(r.out().strip());
        int[] expected = trimPad(Arrays.copyOfRange(greedy, 1, outWidth));
        int[] actual = JSON.convertValue(row.get("ids"), int[].class);
        assertArrayEquals(expected, trimPad(actual), "CLI summary ids = HF greedy ids");
        assertEquals(tok.decode(expected), row.get("summary").asText());
        System.out.println("summarize --text: " + actual.length + " ids identical to golden greedy row 0");
        CliRun lookup = run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(),
                "--text", text, "--prefix", "", "--max-new-tokens", "16", "--prompt-lookup-num-tokens", "6");
        assertEquals(0, lookup.code(), lookup.err());
        assertEquals(r.out(), lookup.out(), "prompt lookup decoding gives the greedy summary");
    }

    private static int[] trimPad(int[] a) {
        int n = a.length;
        while (n > 0 && a[n - 1] == 0) n--;
        return Arrays.copyOf(a, n);
    }

    @Test
    void summarizeAndScoreAJsonlFile(@TempDir Path dir) throws Exception {
        needShared();
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, """
                {"texto": "O presidente anunciou hoje novas medidas econômicas para conter a inflação.", "resumo": "Novas medidas contra a inflação."}

                {"texto": "Chuvas fortes causaram alagamentos em São Paulo.", "resumo": "Alagamentos em São Paulo."}
                """);
        Path output = dir.resolve("out.jsonl");
        CliRun s = run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(), "--input", input.toString(),
                "--text-column", "texto", "--num-beams", "3", "--max-new-tokens", "6", "--no-repeat-ngram-size", "2",
                "--output", output.toString());
        assertEquals(0, s.code(), s.err());
        List<String> lines = Files.readAllLines(output);
        assertEquals(2, lines.size(), "one line per non-blank input row");
        for (String l : lines) {
            JsonNode n = JSON.readTree(l);
            assertTrue(n.get("summary").isTextual());
            assertTrue(n.get("ids").size() >= 1 && n.get("ids").size() <= 6, l);
        }

        CliRun sc = run("score", "--model", model.toString(), "--tokenizer", spiece.toString(), "--input", input.toString(),
                "--text-column", "texto", "--summary-column", "resumo", "--max-target-length", "4");
        assertEquals(0, sc.code(), sc.err());
        List<String> scores = sc.out().strip().lines().toList();
        assertEquals(2, scores.size());
        // Same numbers as the Scorer API, and truncation to 4 target tokens (</s> kept last).
        T5Model m = T5Checkpoint.load(model);
        Scorer scorer = new Scorer(T5Tokenizer.load(spiece), m, "summarize: ", 512, 4);
        JsonNode first = JSON.readTree(scores.get(0));
        Scorer.Score ref = scorer.score("O presidente anunciou hoje novas medidas econômicas para conter a inflação.",
                "Novas medidas contra a inflação.");
        assertEquals(4, first.get("tokens").asInt());
        assertEquals(ref.loss(), first.get("loss").asDouble(), 1e-6);
        assertTrue(ref.loss() > 5 && ref.loss() < 20, "a random 32k-vocab model scores ≈ ln(32128) ≈ 10.4: " + ref.loss());
    }

    @Test
    void badInputsAreOneLineErrors(@TempDir Path dir) throws Exception {
        CliRun noModel = run("summarize", "--text", "x");
        assertEquals(2, noModel.code());
        assertEquals("resumo summarize: --model is required", noModel.err().strip());

        CliRun missingDir = run("summarize", "--model", dir.resolve("nope").toString(), "--text", "x");
        assertEquals(2, missingDir.code());
        assertTrue(missingDir.err().contains("no such folder, and not a hub id"), missingDir.err());
        assertTrue(missingDir.err().startsWith("resumo summarize: --model '"), "the flag, then the value (not '--model model'): "
                + missingDir.err());
        assertEquals(1, missingDir.err().strip().lines().count(), missingDir.err());

        CliRun both = run("summarize", "--model", dir.toString());
        assertEquals("resumo summarize: give exactly one of --text and --input", both.err().strip());
        CliRun columnWithText = run("summarize", "--model", dir.toString(), "--text", "x", "--text-column", "body");
        assertEquals(2, columnWithText.code());
        assertEquals("resumo summarize: --text-column names a field of --input rows; it does nothing with --text",
                columnWithText.err().strip());

        needShared();
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n");
        CliRun col = run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(), "--input", bad.toString());
        assertEquals(2, col.code());
        assertTrue(col.err().contains(bad + ":2: no \"text\" field"), col.err());

        Files.writeString(bad, "{\"text\": \"ok\", \"summary\": 3}\n");
        CliRun notString = run("score", "--model", model.toString(), "--tokenizer", spiece.toString(), "--input", bad.toString());
        assertTrue(notString.err().contains(":1: \"summary\" is not a string"), notString.err());

        Files.writeString(bad, "{\"text\": \"ok\"\n");
        CliRun json = run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(), "--input", bad.toString());
        assertTrue(json.err().contains(bad + ":1: not valid JSON"), json.err());

        CliRun beams = run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(), "--text", "x",
                "--num-beams", "two");
        assertEquals("resumo summarize: --num-beams: expected an integer, got 'two'", beams.err().strip());

        CliRun topP = run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(), "--text", "x",
                "--do-sample", "--top-p", "2");
        assertTrue(topP.err().strip().startsWith("resumo summarize: --top-p: must be in (0, 1]"), topP.err());

        CliRun noTok = run("summarize", "--model", model.toString(), "--text", "x");
        assertEquals(2, noTok.code());
        assertTrue(noTok.err().contains("neither spiece.model nor tokenizer.json"), noTok.err());
        CliRun penalty = run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(), "--text", "x",
                "--repetition-penalty", "0");
        assertEquals("resumo summarize: --repetition-penalty: must be > 0 (1 = off), got 0.0", penalty.err().strip());
        CliRun lookupBeams = run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(), "--text", "x",
                "--num-beams", "3", "--prompt-lookup-num-tokens", "8");
        assertEquals("resumo summarize: --prompt-lookup-num-tokens: works with greedy decoding only, but num_beams is 3;"
                + " set it to 0 or use greedy decoding", lookupBeams.err().strip());
        for (CliRun r : List.of(col, notString, json, beams, topP, noTok, penalty, lookupBeams)) {
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    @Test
    void generationConfigRepetitionPenaltyIsUsedAndUnsupportedSettingsAreNamed(@TempDir Path dir) throws Exception {
        needShared();
        Path m = goldenModelWithGenerationConfig(dir,
                "{\"max_new_tokens\": 8, \"repetition_penalty\": 2.5, \"num_beam_groups\": 2, \"typical_p\": 1.0}");
        String text = "O governo anunciou hoje um novo plano para a educação pública.";
        CliRun fromFile = run("summarize", "--model", m.toString(), "--tokenizer", spiece.toString(), "--text", text);
        assertEquals(0, fromFile.code(), fromFile.err());
        assertTrue(fromFile.err().contains("generation_config.json sets num_beam_groups=2, which Resumo does not implement"),
                fromFile.err());
        assertFalse(fromFile.err().contains("typical_p"), "a setting at its off value is not reported: " + fromFile.err());
        CliRun off = run("summarize", "--model", m.toString(), "--tokenizer", spiece.toString(), "--text", text,
                "--repetition-penalty", "1");
        assertEquals(0, off.code(), off.err());
        int[] penalised = ids(fromFile.out());
        int[] plain = ids(off.out());
        // The golden tiny model repeats one token greedily; the file's penalty (2.5) must break that.
        assertTrue(java.util.Arrays.stream(plain).distinct().count() < plain.length, "plain greedy repeats: " + off.out());
        assertEquals(penalised.length, java.util.Arrays.stream(penalised).distinct().count(),
                "no token twice with repetition_penalty 2.5: " + fromFile.out());
    }

    /**
     * A generation_config.json asking for sampling (do_sample true) or a long minimum
     * (min_new_tokens 30): --num-beams with the file's sampling is beam sampling, as in
     * transformers; --do-sample false gives beam search back, and a shorter --max-new-tokens wins
     * over the file's minimum as in transformers (the summary is that many tokens long). Before:
     * "--min-new-tokens: must be in [0, max_new_tokens=4]" for a flag never typed.
     */
    @Test
    void flagsOverrideTheModelsSamplingAndMinimumLength(@TempDir Path dir) throws Exception {
        needShared();
        Path m = goldenModelWithGenerationConfig(dir, "{\"do_sample\": true, \"min_new_tokens\": 30, \"max_new_tokens\": 40}");
        String text = "O governo anunciou hoje um novo plano para a educação pública.";
        String tok = spiece.toString();

        CliRun beamSampled = run("summarize", "--model", m.toString(), "--tokenizer", tok, "--text", text, "--num-beams", "3",
                "--max-new-tokens", "5");
        assertEquals(0, beamSampled.code(), beamSampled.err());
        assertEquals(5, ids(beamSampled.out()).length, "beam sampling, min 30 clamped to --max-new-tokens 5: " + beamSampled.out());

        CliRun beams = run("summarize", "--model", m.toString(), "--tokenizer", tok, "--text", text,
                "--num-beams", "3", "--do-sample", "false", "--max-new-tokens", "4");
        assertEquals(0, beams.code(), beams.err());
        assertEquals(4, ids(beams.out()).length, "min 30 clamped to --max-new-tokens 4: " + beams.out());

        // Sampling off: two seeds give the same (greedy) summary; the file's sampling on: a draw.
        CliRun greedyA = run("summarize", "--model", m.toString(), "--tokenizer", tok, "--text", text,
                "--do-sample", "false", "--max-new-tokens", "6", "--seed", "1");
        CliRun greedyB = run("summarize", "--model", m.toString(), "--tokenizer", tok, "--text", text,
                "--do-sample=false", "--max-new-tokens", "6", "--seed", "2");
        assertEquals(0, greedyA.code(), greedyA.err());
        assertEquals(greedyA.out(), greedyB.out());
        CliRun plainGreedy = run("summarize", "--model", model.toString(), "--tokenizer", tok, "--text", text, "--max-new-tokens", "6");
        assertEquals(0, plainGreedy.code(), plainGreedy.err());
        assertArrayEquals(ids(plainGreedy.out()), ids(greedyA.out()), "--do-sample false decodes greedily");

        CliRun both = run("summarize", "--model", m.toString(), "--tokenizer", tok, "--text", text,
                "--min-new-tokens", "9", "--max-new-tokens", "4");
        assertEquals(2, both.code(), "both flags given and contradicting stay an error: " + both.err());
        assertTrue(both.err().contains("--min-new-tokens"), both.err());

        CliRun badValue = run("summarize", "--model", m.toString(), "--tokenizer", tok, "--text", text, "--do-sample", "maybe");
        assertEquals(2, badValue.code(), badValue.err());
        assertTrue(badValue.err().contains("--do-sample: expected true or false"), badValue.err());
    }

    /**
     * A model trained with its own prefix (`resumo train --prefix`, saved in config.json's
     * task_specific_params.summarization.prefix, where transformers' pipeline reads it) is scored
     * and summarized with that prefix when --prefix is not given. Before, only eval read it;
     * summarize, score, serve and batch put "summarize: " before every text.
     */
    @Test
    void theModelsSavedPrefixIsTheDefault(@TempDir Path dir) throws Exception {
        needShared();
        Path m = dir.resolve("model");
        Files.createDirectories(m);
        Files.createSymbolicLink(m.resolve("model.safetensors"), model.resolve("model.safetensors"));
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(model.resolve("config.json").toFile());
        String prefix = "resuma o texto: ";
        config.putObject("task_specific_params").putObject("summarization").put("prefix", prefix);
        Files.writeString(m.resolve("config.json"), JSON.writeValueAsString(config));
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"text\": \"Chuvas fortes causaram alagamentos em São Paulo.\", \"summary\": \"Alagamentos em São Paulo.\"}\n");
        String tok = spiece.toString();

        CliRun saved = run("score", "--model", m.toString(), "--tokenizer", tok, "--input", input.toString());
        CliRun explicit = run("score", "--model", model.toString(), "--tokenizer", tok, "--input", input.toString(), "--prefix", prefix);
        CliRun standard = run("score", "--model", model.toString(), "--tokenizer", tok, "--input", input.toString());
        assertEquals(0, saved.code(), saved.err());
        assertEquals(explicit.out(), saved.out(), "score without --prefix uses the model's saved prefix");
        assertFalse(standard.out().equals(saved.out()), "the prefix changes the loss: " + standard.out() + " vs " + saved.out());
        CliRun overridden = run("score", "--model", m.toString(), "--tokenizer", tok, "--input", input.toString(), "--prefix", "summarize: ");
        assertEquals(standard.out(), overridden.out(), "--prefix wins over the saved one");

        String text = "Chuvas fortes causaram alagamentos em São Paulo e no Rio de Janeiro.";
        CliRun summarySaved = run("summarize", "--model", m.toString(), "--tokenizer", tok, "--text", text, "--max-new-tokens", "5");
        CliRun summaryExplicit = run("summarize", "--model", model.toString(), "--tokenizer", tok, "--text", text,
                "--max-new-tokens", "5", "--prefix", prefix);
        assertEquals(0, summarySaved.code(), summarySaved.err());
        assertEquals(summaryExplicit.out(), summarySaved.out());
    }

    /** dir/model: the golden model's config and weights (linked) with this generation_config.json. */
    private static Path goldenModelWithGenerationConfig(Path dir, String generationConfig) throws IOException {
        Path m = dir.resolve("model");
        Files.createDirectories(m);
        for (String f : List.of("config.json", "model.safetensors")) Files.createSymbolicLink(m.resolve(f), model.resolve(f));
        Files.writeString(m.resolve("generation_config.json"), generationConfig);
        return m;
    }

    private static int[] ids(String jsonLine) throws Exception {
        JsonNode ids = JSON.readTree(jsonLine.strip()).get("ids");
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.get(i).intValue();
        return out;
    }
    /** `summarize`/`score` of one --input with the golden model; --max-new-tokens 5 for summarize. */
    private static CliRun runOn(String command, Path input, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(command, "--model", model.toString(), "--tokenizer", spiece.toString(),
                "--input", input.toString()));
        if (command.equals("summarize")) args.addAll(List.of("--max-new-tokens", "5"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void aParquetInputGivesTheResultsItsRowsGiveAsJsonLines(@TempDir Path dir) throws Exception {
        needShared();
        Path parquet = PARQUET_FIXTURES.resolve("hub/train-00000-of-00002.parquet"); // two rows: text, summary
        Path jsonl = dir.resolve("same.jsonl");
        // The same rows as JSON lines, written from what the Parquet reader returns for them.
        StringBuilder lines = new StringBuilder();
        for (String[] row : JsonlRows.read(parquet, "text", "summary")) {
            lines.append(JSON.createObjectNode().put("text", row[0]).put("summary", row[1])).append('\n');
        }
        Files.writeString(jsonl, lines);
        assertEquals(2, lines.toString().lines().count());

        CliRun fromParquet = runOn("summarize", parquet), fromJsonl = runOn("summarize", jsonl);
        assertEquals(0, fromParquet.code(), fromParquet.err());
        assertEquals(0, fromJsonl.code(), fromJsonl.err());
        assertEquals(fromJsonl.out(), fromParquet.out());
        assertEquals(2, fromParquet.out().strip().lines().count());

        CliRun scoredParquet = runOn("score", parquet), scoredJsonl = runOn("score", jsonl);
        assertEquals(0, scoredParquet.code(), scoredParquet.err());
        assertEquals(scoredJsonl.out(), scoredParquet.out());
    }

    @Test
    void parquetNullTextsAndMissingColumnsAreOneLineErrors() {
        needShared();
        // none_plain_v1 holds a null text among its rows (make_parquet_fixtures.py, ROWS).
        Path withNull = PARQUET_FIXTURES.resolve("none_plain_v1.parquet");
        CliRun nulls = runOn("summarize", withNull);
        assertEquals(2, nulls.code(), nulls.err());
        assertTrue(nulls.err().contains("none_plain_v1.parquet:") && nulls.err().contains("\"text\" is null, not a string"), nulls.err());
        assertEquals(1, nulls.err().strip().lines().count(), nulls.err());

        CliRun missing = runOn("summarize", withNull, "--text-column", "texto");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("none_plain_v1.parquet: no column 'texto' (its columns: id, text, summary, split, tags, meta;"
                + " choose the column with --text-column)"), missing.err());

        CliRun list = runOn("summarize", withNull, "--text-column", "tags");
        assertEquals(2, list.code(), list.err());
        assertTrue(list.err().contains("column 'tags' is a list"), list.err());
    }
}
