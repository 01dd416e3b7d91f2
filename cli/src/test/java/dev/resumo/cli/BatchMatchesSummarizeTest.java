package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo batch` and `resumo summarize` on the same model and flags give the same summaries, also
 * when the model's generation_config.json sets num_beams and max_new_tokens: batch forced 128 new
 * tokens over the model's 5 and kept its beams under an explicit --num-beams 1.
 */
class BatchMatchesSummarizeTest {
    private static final Path SHARED = Path.of(System.getProperty("resumo.shared", "../shared"));
    private static final Path GOLDEN = SHARED.resolve("golden/t5-v1_0-tiny");
    private static final Path SPIECE = SHARED.resolve("models/ptt5-portuguese-vocab/spiece.model");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "O governo anunciou um plano para a economia.";

    @Test
    void generationConfigAndExplicitGreedyAreHonouredAsBySummarize(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(GOLDEN.resolve("model.safetensors")) && Files.isRegularFile(SPIECE),
                "../shared golden model or PTT5 spiece.model absent: batch-vs-summarize test skipped");
        Path model = Files.createDirectory(dir.resolve("model"));
        Files.copy(GOLDEN.resolve("config.json"), model.resolve("config.json"));
        Files.createSymbolicLink(model.resolve("model.safetensors"), GOLDEN.resolve("model.safetensors").toAbsolutePath());
        Files.writeString(model.resolve("generation_config.json"),
                "{\"decoder_start_token_id\": 0, \"eos_token_id\": 1, \"pad_token_id\": 0, \"num_beams\": 3, \"max_new_tokens\": 5}");
        Path input = Files.writeString(dir.resolve("in.jsonl"), "{\"id\": \"a\", \"text\": \"" + TEXT + "\"}\n");
        List<String> fromModel = List.of(), greedy = List.of("--num-beams", "1");
        for (List<String> flags : List.of(fromModel, greedy)) {
            String expected = summarize(model, flags);
            assertEquals(expected, batch(model, input, dir.resolve("out" + flags.size()), flags), "flags " + flags);
        }
        // The two settings differ on this model, so the comparison above can tell them apart.
        assertEquals(false, summarize(model, fromModel).equals(summarize(model, greedy)), "beams and greedy differ here");
    }

    private static List<String> common(Path model) {
        return List.of("--model", model.toString(), "--tokenizer", SPIECE.toString(), "--max-source-length", "32");
    }

    private static String summarize(Path model, List<String> flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("summarize", "--text", TEXT));
        args.addAll(common(model));
        args.addAll(flags);
        CliRun r = CliRun.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out().strip()).get("summary").asText();
    }

    private static String batch(Path model, Path input, Path output, List<String> flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("batch", "--input", input.toString(), "--output", output.toString()));
        args.addAll(common(model));
        args.addAll(flags);
        CliRun r = CliRun.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> s = Files.list(output.getParent())) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith(output.getFileName() + "-summaries-")).toList()) {
                for (String l : Files.readAllLines(f)) if (!l.isBlank()) rows.add(JSON.readTree(l));
            }
        }
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0).get("summary").asText();
    }
}
