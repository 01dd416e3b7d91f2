package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * `resumo summarize --num-return-sequences N` on the golden tiny model and the PTT5 vocabulary
 * (../shared): N "candidates" per line, the first one the line's "summary" (what the run without
 * the flag writes), beam scores best first; sampled candidates are separate draws; settings that
 * cannot return N sequences are one-line errors naming the flags.
 */
class SummarizeReturnSequencesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "O presidente anunciou hoje novas medidas econômicas para conter a inflação.";
    private static void needShared() {
        GoldenCliFiles.need("CLI num-return-sequences test");
    }

    private static JsonNode summarize(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("summarize", "--model", GoldenCliFiles.model().toString(),
                "--tokenizer", GoldenCliFiles.spiece().toString(), "--text", TEXT, "--max-new-tokens", "8"));
        args.addAll(List.of(flags));
        CliRun run = CliRun.run(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().strip().lines().toList();
        assertEquals(1, lines.size(), run.out());
        return JSON.readTree(lines.get(0));
    }

    @Test
    void beamSearchWritesItsBestHypothesesBestFirst() throws Exception {
        needShared();
        JsonNode one = summarize("--num-beams", "4");
        JsonNode three = summarize("--num-beams", "4", "--num-return-sequences", "3");
        assertFalse(one.has("candidates"), "one sequence: the line is unchanged");
        JsonNode candidates = three.get("candidates");
        assertEquals(3, candidates.size(), three.toString());
        assertEquals(one.get("summary"), three.get("summary"), "the best hypothesis does not depend on how many are returned");
        assertEquals(one.get("ids"), three.get("ids"));
        assertEquals(three.get("summary"), candidates.get(0).get("summary"));
        assertEquals(three.get("ids"), candidates.get(0).get("ids"));
        Set<JsonNode> distinct = new HashSet<>();
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode c : candidates) {
            distinct.add(c.get("ids"));
            double score = c.get("score").asDouble();
            assertTrue(Double.isFinite(score) && score <= previous, "scores best first: " + candidates);
            previous = score;
        }
        assertEquals(3, distinct.size(), "three different hypotheses: " + candidates);
    }

    @Test
    void samplingWritesSeparateDrawsTheFirstOneTheOneSequenceDraw() throws Exception {
        needShared();
        JsonNode one = summarize("--do-sample", "--top-k", "0", "--temperature", "2", "--seed", "5");
        JsonNode six = summarize("--do-sample", "--top-k", "0", "--temperature", "2", "--seed", "5", "--num-return-sequences", "6");
        JsonNode candidates = six.get("candidates");
        assertEquals(6, candidates.size(), six.toString());
        assertEquals(one.get("ids"), six.get("ids"), "copy 0 draws with the seed itself");
        assertEquals(one.get("ids"), candidates.get(0).get("ids"));
        Set<JsonNode> distinct = new HashSet<>();
        for (JsonNode c : candidates) {
            distinct.add(c.get("ids"));
            assertFalse(c.has("score"), "sampling has no sequence score: " + c);
        }
        assertTrue(distinct.size() >= 3, "temperature 2 over 32k ids: six draws, " + distinct.size() + " different: " + candidates);
        assertEquals(six, summarize("--do-sample", "--top-k", "0", "--temperature", "2", "--seed", "5",
                "--num-return-sequences", "6"), "same seed, same draws");
    }

    @Test
    void settingsThatCannotReturnThatManyAreOneLineErrors() {
        String[] base = {"summarize", "--model", "unused-model-dir", "--text", TEXT};
        CliRun zero = CliRun.run(concat(base, "--num-return-sequences", "0"));
        assertEquals(2, zero.code());
        assertEquals("resumo summarize: --num-return-sequences: must be ≥ 1, got 0", zero.err().strip());
        needShared();
        String[] real = {"summarize", "--model", GoldenCliFiles.model().toString(), "--tokenizer",
                GoldenCliFiles.spiece().toString(), "--text", TEXT};
        CliRun greedy = CliRun.run(concat(real, "--num-return-sequences", "2"));
        assertEquals(2, greedy.code());
        assertEquals("resumo summarize: --num-return-sequences: greedy decoding gives one sequence per input, got 2; use"
                + " --num-beams ≥ 2 or --do-sample for more", greedy.err().strip());
        CliRun beams = CliRun.run(concat(real, "--num-beams", "2", "--num-return-sequences", "3"));
        assertEquals(2, beams.code());
        assertEquals("resumo summarize: --num-return-sequences: must be in [1, --num-beams=2], got 3", beams.err().strip());
        CliRun wide = CliRun.run(concat(real, "--do-sample", "--num-return-sequences", "257"));
        assertEquals(2, wide.code());
        assertEquals("resumo summarize: --num-return-sequences: must be at most 256, got 257", wide.err().strip());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
