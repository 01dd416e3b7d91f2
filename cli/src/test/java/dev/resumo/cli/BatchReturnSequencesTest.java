package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * `resumo batch --num-return-sequences N` on the golden tiny model and the PTT5 vocabulary
 * (../shared): each summaries line carries the same "candidates" (texts and beam scores) that
 * `resumo summarize` writes for the text with the same flags — same model, same kernels, so exactly
 * equal; settings that cannot return N sequences are refused at launch, in one line naming the flags.
 */
class BatchReturnSequencesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "O presidente anunciou hoje novas medidas econômicas para conter a inflação.";

    private static List<String> common() {
        return List.of("--model", GoldenCliFiles.model().toString(), "--tokenizer", GoldenCliFiles.spiece().toString(),
                "--max-new-tokens", "8");
    }

    @Test
    void batchWritesTheCandidatesSummarizeWrites(@TempDir Path dir) throws Exception {
        GoldenCliFiles.need("batch num-return-sequences test");
        List<String> flags = List.of("--num-beams", "4", "--num-return-sequences", "3");
        List<String> summarize = new ArrayList<>(List.of("summarize", "--text", TEXT));
        summarize.addAll(common());
        summarize.addAll(flags);
        CliRun s = CliRun.run(summarize.toArray(String[]::new));
        assertEquals(0, s.code(), s.err());
        JsonNode expected = JSON.readTree(s.out().strip());
        assertEquals(3, expected.get("candidates").size(), expected.toString());

        Path input = Files.writeString(dir.resolve("in.jsonl"), JSON.createObjectNode().put("id", "a").put("text", TEXT) + "\n");
        List<String> batch = new ArrayList<>(List.of("batch", "--input", input.toString(), "--output", dir.resolve("out").toString()));
        batch.addAll(common());
        batch.addAll(flags);
        CliRun b = CliRun.run(batch.toArray(String[]::new));
        assertEquals(0, b.code(), b.err());
        List<JsonNode> lines = summaries(dir);
        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = lines.get(0);
        assertEquals(expected.get("summary"), line.get("summary"));
        JsonNode got = line.get("candidates");
        assertEquals(3, got.size(), line.toString());
        for (int i = 0; i < 3; i++) {
            JsonNode want = expected.get("candidates").get(i);
            assertEquals(want.get("summary"), got.get(i).get("summary"), "candidate " + i);
            assertEquals(want.get("score").asDouble(), got.get(i).get("score").asDouble(), 0.0, "candidate " + i + "'s score");
            assertFalse(got.get(i).has("ids"), "batch lines carry texts, as their summary does");
        }
    }

    @Test
    void settingsThatCannotReturnThatManyAreOneLineErrorsAtLaunch(@TempDir Path dir) throws Exception {
        GoldenCliFiles.need("batch num-return-sequences test");
        Path input = Files.writeString(dir.resolve("in.jsonl"), JSON.createObjectNode().put("id", "a").put("text", TEXT) + "\n");
        List<String> batch = new ArrayList<>(List.of("batch", "--input", input.toString(), "--output", dir.resolve("out").toString()));
        batch.addAll(common());
        List<String> greedy = new ArrayList<>(batch);
        greedy.addAll(List.of("--num-beams", "1", "--num-return-sequences", "2"));
        CliRun r = CliRun.run(greedy.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("--num-return-sequences: greedy decoding gives one"),
                r.err());
        List<String> zero = new ArrayList<>(batch);
        zero.addAll(List.of("--num-return-sequences", "0"));
        r = CliRun.run(zero.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--num-return-sequences"), r.err());
        assertTrue(summaries(dir).isEmpty(), "nothing written");
    }

    private static List<JsonNode> summaries(Path dir) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith("out-summaries-")).toList()) {
                for (String l : Files.readAllLines(f)) if (!l.isBlank()) rows.add(JSON.readTree(l));
            }
        }
        return rows;
    }
}
