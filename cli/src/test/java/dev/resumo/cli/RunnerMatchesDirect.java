package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs `resumo batch` on the DirectRunner and on another runner over the same rows (six texts and
 * one line that is not JSON; or Parquet files) and checks both write the same summaries and dead letters. The
 * DirectRunner is tied to `resumo summarize` by BatchMatchesSummarizeTest, so this ties the other
 * runner to it too. Used by the tests that run only in a -Pflink / -Pspark build.
 */
final class RunnerMatchesDirect {
    private RunnerMatchesDirect() {}

    private static final Path SHARED = Path.of(System.getProperty("resumo.shared", "../shared"));
    private static final Path GOLDEN = SHARED.resolve("golden/t5-v1_0-tiny");
    private static final Path SPIECE = SHARED.resolve("models/ptt5-portuguese-vocab/spiece.model");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TEXTS = List.of(
            "O governo anunciou um plano para a economia.",
            "A seleção venceu o jogo de ontem por dois a zero.",
            "Chuvas fortes atingem o litoral paulista nesta semana.",
            "O banco central manteve a taxa de juros.",
            "Cientistas descobrem nova espécie na Amazônia.",
            "A prefeitura abriu vagas em escolas municipais.");

    /** Returns the file names of the other runner's summary shards, for the caller's runner-specific check. */
    static List<String> assertSameOutput(Path dir, List<String> runnerArgs) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < TEXTS.size(); i++) {
            lines.append(JSON.writeValueAsString(Map.of("id", "r" + i, "text", TEXTS.get(i)))).append('\n');
        }
        lines.append("not json at all\n");
        Path input = Files.writeString(dir.resolve("in.jsonl"), lines.toString());
        return compare(input.toString(), dir, runnerArgs, TEXTS.size(), 1);
    }

    /**
     * The same over Parquet: batch's fixture corpus (three files, several row groups each, string and
     * int64 ids) and its dead-letter file (two good rows, seven bad), read with one glob.
     */
    static List<String> assertSameOutputOnParquet(Path dir, List<String> runnerArgs) throws Exception {
        Path fixtures = Path.of("..", "batch", "src", "test", "resources", "parquet");
        Path in = Files.createDirectory(dir.resolve("parquet-in"));
        try (Stream<Path> parts = Files.list(fixtures.resolve("corpus"))) {
            for (Path part : parts.toList()) Files.copy(part, in.resolve(part.getFileName()));
        }
        Files.copy(fixtures.resolve("dead_letters.parquet"), in.resolve("dead_letters.parquet"));
        long corpusRows = Files.readAllLines(fixtures.resolve("corpus.jsonl")).stream().filter(l -> !l.isBlank()).count();
        return compare(in.toAbsolutePath().resolve("*.parquet").toString(), dir, runnerArgs, (int) corpusRows + 2, 7);
    }

    private static List<String> compare(String input, Path dir, List<String> runnerArgs, int summaries, int dead) throws Exception {
        assumeTrue(Files.isRegularFile(GOLDEN.resolve("model.safetensors")) && Files.isRegularFile(SPIECE),
                "../shared golden model or PTT5 spiece.model absent: runner-vs-Direct test skipped");
        Path direct = Files.createDirectory(dir.resolve("direct")), other = Files.createDirectory(dir.resolve("other"));
        run(input, direct, List.of());
        run(input, other, runnerArgs);

        Map<String, String> fromDirect = summaries(direct), fromOther = summaries(other);
        assertEquals(summaries, fromDirect.size(), fromDirect.toString());
        assertEquals(fromDirect, fromOther, "summaries, DirectRunner vs " + runnerArgs);
        assertEquals(deadLetters(direct), deadLetters(other), "dead letters, DirectRunner vs " + runnerArgs);
        assertEquals(dead, deadLetters(other).size());
        try (Stream<Path> s = Files.list(other)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("run-summaries-")).sorted().toList();
        }
    }

    private static void run(String input, Path outDir, List<String> runner) {
        List<String> args = new ArrayList<>(List.of("batch", "--input", input, "--output", outDir.resolve("run").toString(),
                "--model", GOLDEN.toString(), "--tokenizer", SPIECE.toString(), "--max-source-length", "32", "--max-new-tokens", "8"));
        args.addAll(runner);
        CliRun r = CliRun.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
    }

    private static Map<String, String> summaries(Path outDir) throws Exception {
        Map<String, String> byId = new TreeMap<>();
        for (JsonNode n : rows(outDir, "run-summaries-")) {
            assertEquals(null, byId.put(n.get("id").asText(), n.get("summary").asText()), "row written twice: " + n);
        }
        return byId;
    }

    private static List<String> deadLetters(Path outDir) throws Exception {
        return rows(outDir, "run-dead-letters-").stream().map(JsonNode::toString).sorted().toList();
    }

    private static List<JsonNode> rows(Path outDir, String prefix) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> s = Files.list(outDir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                for (String l : Files.readAllLines(f)) if (!l.isBlank()) rows.add(JSON.readTree(l));
            }
        }
        return rows;
    }
}
