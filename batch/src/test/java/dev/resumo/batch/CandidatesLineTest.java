package dev.resumo.batch;

import static dev.resumo.batch.BeamPipelineTest.options;
import static dev.resumo.batch.BeamPipelineTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A summaries line carries every sequence the summarizer returned for its text as "candidates"
 * ({"summary", "score" when it has one}), the first one its "summary"; with one sequence per text
 * the line has no "candidates" field, as before.
 */
class CandidatesLineTest {
    /** Per text: "a:" + text scored -1 and "b:" + text scored -2 (beams); texts with "amostra" get unscored draws. */
    record TwoCandidates(String name) implements SummarizerLoader {
        @Override
        public String key() {
            return "candidates|" + name;
        }

        @Override
        public TextSummarizer load() {
            return new TextSummarizer() {
                @Override
                public List<String> summarize(List<String> texts) {
                    throw new AssertionError("the pipeline asks for the candidates");
                }

                @Override
                public List<BatchSummary> summarizeWithCandidates(List<String> texts) {
                    List<BatchSummary> out = new ArrayList<>();
                    for (String t : texts) {
                        boolean sampled = t.contains("amostra");
                        out.add(new BatchSummary("a:" + t, List.of(new BatchSummary.Candidate("a:" + t, sampled ? Float.NaN : -1f),
                                new BatchSummary.Candidate("b:" + t, sampled ? Float.NaN : -2.5f))));
                    }
                    return out;
                }
            };
        }
    }

    @Test
    void everyCandidateIsWrittenWithItsScore(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.write(in, List.of("{\"id\": 1, \"text\": \"feixe um\"}", "{\"id\": 2, \"text\": \"uma amostra\"}",
                "{\"id\": 3, \"text\": \"feixe três\"}"));
        BatchOptions o = options(in.toString(), dir.resolve("out").toString(), "--batchSize=2", "--numReturnSequences=2");
        assertEquals(PipelineResult.State.DONE, SummarizePipeline.build(o, new TwoCandidates("t")).run().waitUntilFinish());
        Map<Integer, JsonNode> byId = new HashMap<>();
        for (JsonNode n : readAll(dir, "out-summaries")) byId.put(n.get("id").asInt(), n);
        assertEquals(3, byId.size(), byId.toString());
        JsonNode beams = byId.get(1);
        assertEquals("a:feixe um", beams.get("summary").asText());
        assertEquals(2, beams.get("candidates").size(), beams.toString());
        assertEquals("a:feixe um", beams.get("candidates").get(0).get("summary").asText());
        assertEquals(-1.0, beams.get("candidates").get(0).get("score").asDouble());
        assertEquals("b:feixe um", beams.get("candidates").get(1).get("summary").asText());
        assertEquals(-2.5, beams.get("candidates").get(1).get("score").asDouble());
        JsonNode draws = byId.get(2);
        assertEquals(2, draws.get("candidates").size(), draws.toString());
        for (JsonNode c : draws.get("candidates")) assertFalse(c.has("score"), "a draw has no sequence score: " + draws);
        assertTrue(readAll(dir, "out-dead-letters").isEmpty());
    }

    @Test
    void oneSequencePerTextWritesNoCandidates(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.write(in, List.of("{\"id\": 1, \"text\": \"Chuva forte no Recife\"}"));
        BatchOptions o = options(in.toString(), dir.resolve("out").toString());
        assertEquals(1, o.getNumReturnSequences(), "one sequence unless asked");
        assertEquals(PipelineResult.State.DONE,
                SummarizePipeline.build(o, new BeamPipelineTest.FakeLoader("one")).run().waitUntilFinish());
        List<JsonNode> lines = readAll(dir, "out-summaries");
        assertEquals(1, lines.size());
        assertEquals(BeamPipelineTest.FakeLoader.expected("Chuva forte no Recife"), lines.get(0).get("summary").asText());
        assertFalse(lines.get(0).has("candidates"), lines.get(0).toString());
    }

    @Test
    void aCountBelowOneIsRefusedNamingTheOption(@TempDir Path dir) {
        BatchOptions o = options("in.jsonl", dir.resolve("out").toString(), "--numReturnSequences=0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SummarizePipeline.build(o, new BeamPipelineTest.FakeLoader("zero")));
        assertTrue(e.getMessage().startsWith("--numReturnSequences: must be ≥ 1, got 0"), e.getMessage());
    }
}
