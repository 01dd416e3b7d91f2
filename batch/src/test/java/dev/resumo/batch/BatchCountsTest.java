package dev.resumo.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher learns what a run did (rows, summaries, dead letters); lines that are not UTF-8 are dead letters. */
class BatchCountsTest {
    @Test
    void invalidUtf8RowsAreDeadLetteredAndEveryRowIsCounted(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.jsonl");
        byte[] good = "{\"id\": \"1\", \"text\": \"um dois três\"}\n\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 'i', 'd', '"', ':', '"', '2', '"', ',', '"', 't', 'e', 'x', 't', '"', ':', '"', 'a', (byte) 0xC3, (byte) 0x28, ' ', 'b', '"', '}', '\n'};
        byte[] wrong = "{\"id\": \"3\", \"body\": \"x\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[good.length + bad.length + wrong.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        System.arraycopy(wrong, 0, all, good.length + bad.length, wrong.length);
        Files.write(input, all);
        BatchOptions o = BeamPipelineTest.options(input.toString(), dir.resolve("out").toString());
        PipelineResult result = SummarizePipeline.build(o, new BeamPipelineTest.FakeLoader("counts")).run();
        assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
        assertEquals(new BatchCounts(true, 3, 1, 2), BatchCounts.of(result));
        List<JsonNode> dead = BeamPipelineTest.readAll(dir, "out-dead-letters");
        assertEquals(2, dead.size());
        assertTrue(dead.stream().anyMatch(d -> d.get("reason").asText().startsWith("invalid UTF-8")), dead.toString());
        assertEquals(1, BeamPipelineTest.readAll(dir, "out-summaries").size());
    }

    @Test
    void anEmptyInputCountsNoRows(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("empty.jsonl");
        Files.writeString(input, "\n");
        BatchOptions o = BeamPipelineTest.options(input.toString(), dir.resolve("out").toString());
        PipelineResult result = SummarizePipeline.build(o, new BeamPipelineTest.FakeLoader("empty")).run();
        assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
        BatchCounts c = BatchCounts.of(result);
        assertTrue(c.known());
        assertEquals(0, c.rows());
        assertEquals(0, c.summarized());
    }

    /** A text of only zero-width spaces is blank, as in summarize and serve (BlankText): a dead letter, not a summary. */
    @Test
    void invisibleOnlyTextsAreDeadLetters(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"id\": \"1\", \"text\": \"\\u200b\\u200b\"}\n{\"id\": \"2\", \"text\": \"um texto\"}\n");
        BatchOptions o = BeamPipelineTest.options(input.toString(), dir.resolve("out").toString());
        PipelineResult result = SummarizePipeline.build(o, new BeamPipelineTest.FakeLoader("blank")).run();
        assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
        List<JsonNode> dead = BeamPipelineTest.readAll(dir, "out-dead-letters");
        assertEquals(1, dead.size(), dead.toString());
        assertTrue(dead.getFirst().get("reason").asText().contains("is blank"), dead.toString());
        assertEquals(1, BeamPipelineTest.readAll(dir, "out-summaries").size());
    }
}
