package dev.resumo.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two rows written on one line: readTree read the first and dropped the second without a dead
 * letter. The line is a dead letter, with the reason, and the line as read keeps both rows.
 */
class TwoRowsOnOneLineTest {
    @Test
    void aLineWithTwoRowsIsADeadLetterNotHalfSummarized(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"id\": \"1\", \"text\": \"um dois\"} {\"id\": \"2\", \"text\": \"três quatro\"}\n"
                + "{\"id\": \"3\", \"text\": \"cinco seis\"}\n");
        BatchOptions o = BeamPipelineTest.options(input.toString(), dir.resolve("out").toString());
        PipelineResult result = SummarizePipeline.build(o, new BeamPipelineTest.FakeLoader("two-rows")).run();
        assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
        List<JsonNode> dead = BeamPipelineTest.readAll(dir, "out-dead-letters");
        assertEquals(1, dead.size(), dead.toString());
        assertTrue(dead.get(0).get("reason").asText().startsWith("not valid JSON: text after the JSON value at column 32"), dead.toString());
        assertEquals(1, BeamPipelineTest.readAll(dir, "out-summaries").size());
    }
}
