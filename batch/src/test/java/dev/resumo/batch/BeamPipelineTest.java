package dev.resumo.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.generate.GenerationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Beam pipeline on the DirectRunner: every input row comes out exactly once, summarized or dead-lettered. */
class BeamPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger LOADS = new AtomicInteger();

    /** Summary = "resumo: " + the first two words; a batch with "FALHA" in it throws. Counts its loads. */
    record FakeLoader(String name) implements SummarizerLoader {
        @Override
        public String key() {
            return "fake|" + name;
        }

        @Override
        public TextSummarizer load() {
            LOADS.incrementAndGet();
            return texts -> {
                List<String> out = new ArrayList<>();
                for (String t : texts) {
                    if (t.contains("FALHA")) throw new IllegalStateException("model blew up on purpose");
                    out.add(expected(t));
                }
                return out;
            };
        }

        static String expected(String text) {
            String[] w = text.trim().split("\\s+");
            return "resumo: " + w[0] + " " + (w.length > 1 ? w[1] : "");
        }
    }

    @Test
    void everyRowComesOutExactlyOnceAndTheModelLoadsOncePerJvm(@TempDir Path dir) throws Exception {
        Path corpus = Path.of(getClass().getResource("/corpus/news.jsonl").toURI());
        List<String> input = Files.readAllLines(corpus).stream().filter(l -> !l.isBlank()).toList();
        BatchOptions o = options(corpus.toString(), dir.resolve("out").toString(), "--batchSize=4", "--targetParallelism=4");
        LOADS.set(0);
        PipelineResult.State state = SummarizePipeline.build(o, new FakeLoader("corpus")).run().waitUntilFinish();
        assertEquals(PipelineResult.State.DONE, state);

        List<JsonNode> summaries = readAll(dir, "out-summaries");
        List<JsonNode> dead = readAll(dir, "out-dead-letters");
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode s : summaries) seen.merge(s.get("id").asText(), 1, Integer::sum);
        Map<String, String> textById = new HashMap<>();
        for (String line : input) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n.isObject() && n.has("id") && n.get("text") != null && n.get("text").isTextual()) {
                    textById.put(n.get("id").asText(), n.get("text").asText());
                }
            } catch (IOException notJson) {
                // a dead-letter row
            }
        }
        for (JsonNode s : summaries) {
            assertEquals(FakeLoader.expected(textById.get(s.get("id").asText())), s.get("summary").asText());
        }
        List<String> deadInputs = new ArrayList<>();
        for (JsonNode d : dead) {
            assertTrue(d.hasNonNull("reason") && !d.get("reason").asText().isBlank(), "dead letter has a reason: " + d);
            if (d.has("id")) seen.merge(d.get("id").asText(), 1, Integer::sum);
            deadInputs.add(d.get("input").asText());
        }
        for (Map.Entry<String, Integer> e : seen.entrySet()) assertEquals(1, e.getValue(), "id " + e.getKey() + " exactly once");
        assertEquals(input.size(), summaries.size() + dead.size(), "every input row accounted for");
        assertEquals(60, summaries.size());
        assertEquals(7, dead.size(), "six malformed rows and one the model fails on");
        assertTrue(deadInputs.contains("FALHA provocada no resumidor"), "the failing row, not its batch mates, is dead-lettered");
        assertTrue(deadInputs.contains("{\"text\": \"sem id nenhum\"}"));
        assertEquals(1, LOADS.get(), "the model is loaded once per JVM, not per DoFn instance");
        System.out.println("beam: " + summaries.size() + " summaries + " + dead.size() + " dead letters = " + input.size() + " rows");
    }

    @Test
    void goldenModelSummariesMatchTheSummarizer(@TempDir Path dir) throws Exception {
        Path model = golden("golden/t5-v1_0-tiny"), spiece = golden("models/ptt5-portuguese-vocab/spiece.model");
        Path corpus = dir.resolve("in.jsonl");
        List<String> texts = List.of("O governo anunciou hoje um novo plano para a educação.",
                "A seleção venceu a partida por dois a zero.", "Chuva forte causa alagamentos no Recife.");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) lines.add(JSON.createObjectNode().put("id", "n" + i).put("body", texts.get(i)).toString());
        Files.write(corpus, lines);
        BatchOptions o = options(corpus.toString(), dir.resolve("out").toString(), "--textColumn=body", "--batchSize=2",
                "--maxNewTokens=12", "--maxSourceLength=64", "--model=" + model, "--tokenizer=" + spiece);
        assertEquals(PipelineResult.State.DONE, SummarizePipeline.build(o, SummarizePipeline.modelLoader(o)).run().waitUntilFinish());
        Summarizer direct = Summarizer.load(model, spiece, GenerationConfig.greedy(12), Summarizer.DEFAULT_PREFIX, 64);
        List<JsonNode> out = readAll(dir, "out-summaries");
        assertEquals(texts.size(), out.size());
        for (JsonNode n : out) {
            int i = Integer.parseInt(n.get("id").asText().substring(1));
            assertEquals(direct.summarize(texts.get(i)), n.get("summary").asText(), "Beam and the Summarizer agree on " + n);
        }
        assertTrue(readAll(dir, "out-dead-letters").isEmpty());
    }

    /**
     * The launcher's checked summarizer is what the DirectRunner's workers use: the loader's folder
     * here does not exist, so a second load would dead-letter every row.
     */
    @Test
    void aReusedSummarizerServesTheWorkersWithoutASecondLoad(@TempDir Path dir) throws Exception {
        Path model = golden("golden/t5-v1_0-tiny"), spiece = golden("models/ptt5-portuguese-vocab/spiece.model");
        Path corpus = dir.resolve("in.jsonl");
        Files.write(corpus, List.of("{\"id\": \"a\", \"text\": \"A seleção venceu a partida por dois a zero.\"}"));
        Path missing = dir.resolve("not-a-model-" + System.nanoTime());
        BatchOptions o = options(corpus.toString(), dir.resolve("out").toString(), "--batchSize=2", "--maxNewTokens=8",
                "--maxSourceLength=64", "--model=" + missing, "--tokenizer=" + spiece);
        Summarizer checked = Summarizer.load(model, spiece, GenerationConfig.greedy(8), Summarizer.DEFAULT_PREFIX, 64);
        ModelDirLoader loader = (ModelDirLoader) SummarizePipeline.modelLoader(o);
        loader.reuse(checked);
        assertEquals(PipelineResult.State.DONE, SummarizePipeline.build(o, loader).run().waitUntilFinish());
        List<JsonNode> out = readAll(dir, "out-summaries");
        assertEquals(1, out.size(), "summarized by the reused model, not dead-lettered by a load of " + missing);
        assertEquals(checked.summarize("A seleção venceu a partida por dois a zero."), out.get(0).get("summary").asText());
        assertTrue(readAll(dir, "out-dead-letters").isEmpty());
    }

    /** A path under ../shared; the test is skipped, saying so, when it is absent. */
    static Path golden(String relative) {
        Path p = Path.of(System.getProperty("resumo.shared", "../shared")).resolve(relative);
        assumeTrue(Files.exists(p), "../shared/" + relative + " absent: test with the golden model skipped");
        return p;
    }

    /** An id comes out as the input wrote it: 7 stays a number (a join on the input matches), "7" a string. */
    @Test
    void idsKeepTheirJsonType(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.write(in, List.of("{\"id\": 7, \"text\": \"Chuva forte no Recife hoje\"}",
                "{\"id\": \"7\", \"text\": \"Governo anuncia novo plano\"}",
                "{\"id\": 8.5, \"text\": \"   \"}"));
        BatchOptions o = options(in.toString(), dir.resolve("out").toString());
        assertEquals(PipelineResult.State.DONE, SummarizePipeline.build(o, new FakeLoader("ids")).run().waitUntilFinish());
        Map<String, JsonNode> byText = new HashMap<>();
        for (JsonNode s : readAll(dir, "out-summaries")) byText.put(s.get("summary").asText(), s.get("id"));
        assertTrue(byText.get("resumo: Chuva forte").isInt(), byText.toString());
        assertEquals(7, byText.get("resumo: Chuva forte").intValue());
        assertTrue(byText.get("resumo: Governo anuncia").isTextual(), byText.toString());
        List<JsonNode> dead = readAll(dir, "out-dead-letters");
        assertEquals(1, dead.size());
        assertTrue(dead.get(0).get("id").isDouble() && dead.get(0).get("id").doubleValue() == 8.5, dead.toString());
    }

    static BatchOptions options(String input, String output, String... extra) {
        List<String> args = new ArrayList<>(List.of("--runner=DirectRunner", "--input=" + input, "--output=" + output));
        args.addAll(List.of(extra));
        if (args.stream().noneMatch(a -> a.startsWith("--model="))) args.add("--model=unused-by-the-fake-loader");
        return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().as(BatchOptions.class);
    }

    static List<JsonNode> readAll(Path dir, String prefix) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                for (String l : Files.readAllLines(f)) if (!l.isBlank()) out.add(JSON.readTree(l));
            }
        }
        return out;
    }
}
