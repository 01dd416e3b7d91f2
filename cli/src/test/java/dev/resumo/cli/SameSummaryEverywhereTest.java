package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.serve.ResumoServer;
import dev.resumo.serve.ServeConfig;
import dev.resumo.serve.SummarizerEngine;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.tokenizer.T5Tokenizer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md's promise, "a summary is the same wherever it is asked for": the same texts and
 * settings through `summarize --input` (batched), `summarize --text` (each text alone), `eval
 * --predictions`, `batch` and POST /v1/summarize give the same summaries, exactly (same model, same
 * kernels: no tolerance). Every entry point takes every generation setting (GenerationFlags on
 * the command line, the same names in snake case in a request), so each case runs everywhere; a
 * case whose flags change the summaries (checked against the model's own settings) shows that
 * each entry point applies them rather than agreeing by ignoring them.
 */
class SameSummaryEverywhereTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TEXTS = List.of(
            "a",
            "O governo anunciou ontem um plano para a economia, com cortes de impostos e novas regras para o crédito.",
            "Ação, coração e pão — São Paulo; naïve façade über 日本語 😀 ñ.",
            String.join(" ", java.util.Collections.nCopies(40, "A prefeitura anunciou a reforma de três escolas.")),
            "Chove em Lisboa.",
            "  espaços  à volta \n\n nova linha\t tab\r\n  fim  ",
            "Cafe\u0301 decomposto e\u0301 na\u0303o \u00a0nbsp bom");

    /** One case: flags (batch-size apart), an optional generation_config.json. */
    private record Case(String name, Map<String, String> flags, String generationConfig, int batchSize) {}

    private static final String IDS = "\"decoder_start_token_id\": 0, \"eos_token_id\": 1, \"pad_token_id\": 0";

    private static final List<Case> CASES = List.of(
            new Case("beam search, truncated input", ordered("num-beams", "3", "length-penalty", "2.0", "no-repeat-ngram-size", "2",
                    "min-new-tokens", "4", "max-new-tokens", "12", "early-stopping", "never", "prefix", "resuma: ",
                    "max-source-length", "20"), null, 3),
            new Case("greedy, repetition penalty, prompt lookup", ordered("repetition-penalty", "1.3", "max-new-tokens", "10",
                    "prompt-lookup-num-tokens", "3"), null, 2),
            // Sampling: each row draws from its own generator, so batched, alone, eval's and batch's agree.
            new Case("sampling", ordered("do-sample", "true", "seed", "5", "top-k", "10", "top-p", "0.9", "temperature", "1.5",
                    "max-new-tokens", "8"), null, 3),
            new Case("the model's beam settings", ordered("max-new-tokens", "9", "prefix", ""),
                    "{" + IDS + ", \"num_beams\": 2, \"min_new_tokens\": 3, \"length_penalty\": -1.0, \"no_repeat_ngram_size\": 1}", 4),
            new Case("the model's sampling", ordered(), "{" + IDS + ", \"do_sample\": true, \"seed\": 3, \"max_new_tokens\": 6}", 3),
            // The model samples; the flags turn that off for beams: batch and eval must honour --do-sample false too.
            new Case("the model's sampling turned off", ordered("do-sample", "false", "num-beams", "2", "early-stopping", "true"),
                    "{" + IDS + ", \"do_sample\": true, \"seed\": 3, \"max_new_tokens\": 6}", 2));

    @Test
    void everyEntryPointGivesTheSameSummaries(@TempDir Path dir) throws Exception {
        Path model = TinyRandomModel.create(dir);
        Path input = dir.resolve("in.jsonl");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < TEXTS.size(); i++) {
            rows.append(JSON.createObjectNode().put("id", "r" + i).put("text", TEXTS.get(i)).put("summary", "x").put("split", "test")).append('\n');
        }
        Files.writeString(input, rows);
        for (int c = 0; c < CASES.size(); c++) {
            Case k = CASES.get(c);
            Files.deleteIfExists(model.resolve("generation_config.json"));
            if (k.generationConfig() != null) Files.writeString(model.resolve("generation_config.json"), k.generationConfig());
            List<String[]> batched = summarizeInput(model, input, k);
            List<String> summaries = batched.stream().map(s -> s[0]).toList();
            for (int i = 0; i < TEXTS.size(); i++) {
                assertEquals(Arrays.asList(batched.get(i)), Arrays.asList(summarizeAlone(model, TEXTS.get(i), k)),
                        k.name() + ": text " + i + " in batches of " + k.batchSize() + " vs alone (summary, ids)");
            }
            if (!k.flags().isEmpty()) {
                List<String> modelOwn = summarizeInput(model, input, new Case("", ordered(), null, k.batchSize())).stream()
                        .map(sum -> sum[0]).toList();
                assertNotEquals(modelOwn, summaries, k.name() + ": the flags change the summaries");
            }
            assertEquals(summaries, eval(model, input, dir.resolve("predictions" + c + ".jsonl"), k), k.name() + ": eval");
            assertEquals(summaries, batch(model, input, dir.resolve("batch" + c), k), k.name() + ": batch");
            assertEquals(summaries, serve(model, k), k.name() + ": serve");
        }
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }

    private static List<String> args(Case k, String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        k.flags().forEach((flag, value) -> a.addAll(List.of("--" + flag, value)));
        return a;
    }

    private static CliRun ok(List<String> args) {
        CliRun r = CliRun.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), args + ": " + r.err());
        return r;
    }

    private static String[] row(String line) throws Exception {
        JsonNode n = JSON.readTree(line);
        return new String[] {n.get("summary").asText(), n.get("ids").toString()};
    }

    private static List<String[]> summarizeInput(Path model, Path input, Case k) throws Exception {
        CliRun r = ok(args(k, "summarize", "--model", model.toString(), "--input", input.toString(), "--batch-size", "" + k.batchSize()));
        List<String[]> out = new ArrayList<>();
        for (String line : r.out().strip().split("\n")) out.add(row(line));
        assertEquals(TEXTS.size(), out.size(), r.out());
        return out;
    }

    private static String[] summarizeAlone(Path model, String text, Case k) throws Exception {
        return row(ok(args(k, "summarize", "--model", model.toString(), "--text", text)).out().strip());
    }

    private static List<String> eval(Path model, Path input, Path predictions, Case k) throws Exception {
        ok(args(k, "eval", "--model", model.toString(), "--dataset", input.toString(), "--batch-size", "" + k.batchSize(),
                "--predictions", predictions.toString()));
        Map<String, String> byId = new HashMap<>();
        for (String line : Files.readAllLines(predictions)) {
            JsonNode n = JSON.readTree(line);
            byId.put(n.get("id").asText(), n.get("summary").asText());
        }
        return inOrder(byId);
    }

    private static List<String> batch(Path model, Path input, Path output, Case k) throws Exception {
        ok(args(k, "batch", "--model", model.toString(), "--input", input.toString(), "--output", output.toString(),
                "--batch-size", "" + k.batchSize()));
        Map<String, String> byId = new HashMap<>();
        try (Stream<Path> files = Files.list(output.getParent())) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(output.getFileName() + "-summaries-")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.isBlank()) continue;
                    JsonNode n = JSON.readTree(line);
                    byId.put(n.get("id").asText(), n.get("summary").asText());
                }
            }
        }
        return inOrder(byId);
    }

    private static List<String> inOrder(Map<String, String> byId) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) out.add(byId.get("r" + i));
        return out;
    }

    /**
     * The server as ServeCommand wires it (model folder's generation settings, --prefix and
     * --max-source-length at startup, --max-batch texts a generation), the settings in the body.
     */
    private static List<String> serve(Path model, Case k) throws Exception {
        Map<String, String> f = k.flags();
        Summarizer summarizer = new Summarizer(T5Tokenizer.load(model), T5Checkpoint.load(model), Summarizer.modelGenerationConfig(model),
                f.getOrDefault("prefix", ModelPrefix.saved(model)),
                Integer.parseInt(f.getOrDefault("max-source-length", "" + Summarizer.DEFAULT_MAX_SOURCE_LENGTH)), k.batchSize());
        ServeConfig config = ServeConfig.defaults(0).withBatching(k.batchSize(), 5);
        try (ResumoServer server = ResumoServer.start(config, new SummarizerEngine(summarizer, "tiny", k.batchSize()))) {
            ObjectNode body = JSON.createObjectNode();
            TEXTS.forEach(body.putArray("texts")::add);
            f.forEach((flag, value) -> {
                String field = flag.replace('-', '_');
                switch (flag) {
                    case "prefix", "max-source-length" -> {}
                    case "do-sample" -> body.put(field, Boolean.parseBoolean(value));
                    case "early-stopping" -> {
                        if (value.equals("never")) body.put(field, value);
                        else body.put(field, Boolean.parseBoolean(value));
                    }
                    case "length-penalty", "repetition-penalty", "top-p", "temperature" -> body.put(field, Double.parseDouble(value));
                    default -> body.put(field, Long.parseLong(value));
                }
            });
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/v1/summarize"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            List<String> out = new ArrayList<>();
            for (JsonNode n : JSON.readTree(r.body()).get("summaries")) out.add(n.asText());
            return out;
        }
    }
}
