package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resumo.t5.generate.GenerationConfig;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * "num_return_sequences" on POST /v1/summarize: "candidates" per text beside the unchanged
 * "summaries", bounded like num_beams by --max-beams-limit, refused for greedy decoding; and the
 * real engine's candidates (golden model, ../shared): beam search's distinct hypotheses, its best
 * the one-sequence summary.
 */
class ReturnSequencesApiTest {
    private static final String TEXT = "O governo anunciou hoje um novo plano";
    private static final String OTHER = "Chuva forte causa alagamentos no Recife";

    @Test
    void candidatesComeBesideTheSummariesWhenAskedFor() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            HttpResponse<String> r = f.post("{\"texts\": [\"" + TEXT + "\", \"" + OTHER + "\"], \"num_beams\": 3,"
                    + " \"num_return_sequences\": 3, \"max_new_tokens\": 10}");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = ServerFixture.json(r);
            assertEquals(3, engine.batchSettings.get(0).numReturnSequences());
            JsonNode candidates = body.get("candidates");
            assertEquals(2, candidates.size(), r.body());
            String[] texts = {TEXT, OTHER};
            for (int i = 0; i < 2; i++) {
                assertEquals(3, candidates.get(i).size(), r.body());
                assertEquals(body.get("summaries").get(i), candidates.get(i).get(0), "the first candidate is the summary");
                assertEquals(FakeEngine.expected(texts[i], 10) + " #2", candidates.get(i).get(2).asText());
            }
            assertEquals(2 * 9, body.get("tokens_generated").asInt(), "every candidate's tokens counted");

            HttpResponse<String> sampled = f.post("{\"text\": \"" + TEXT + "\", \"do_sample\": true, \"num_return_sequences\": 5}");
            assertEquals(200, sampled.statusCode(), sampled.body());
            assertEquals(5, ServerFixture.json(sampled).get("candidates").get(0).size(), "sampling with one beam: 5 draws");

            HttpResponse<String> plain = f.post("{\"text\": \"" + TEXT + "\", \"num_beams\": 3}");
            assertFalse(ServerFixture.json(plain).has("candidates"), "not asked for: the answer is unchanged: " + plain.body());
            assertEquals(1, engine.batchSettings.get(2).numReturnSequences());
        }
    }

    @Test
    void requestsThatCannotGetThatManyAre400NamingTheField() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512);
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            HttpResponse<String> greedy = f.post("{\"text\": \"" + TEXT + "\", \"num_return_sequences\": 2}");
            ServeApiTest.assertError(greedy, 400, "num_return_sequences");
            assertTrue(greedy.body().contains("greedy decoding gives one sequence per input"), greedy.body());
            HttpResponse<String> beams = f.post("{\"text\": \"" + TEXT + "\", \"num_beams\": 2, \"num_return_sequences\": 3}");
            ServeApiTest.assertError(beams, 400, "num_return_sequences");
            assertTrue(beams.body().contains("must be in [1, num_beams=2], got 3"), beams.body());
            int limit = ServerFixture.config().maxBeamsLimit();
            HttpResponse<String> wide = f.post("{\"text\": \"" + TEXT + "\", \"do_sample\": true, \"num_return_sequences\": "
                    + (limit + 1) + "}");
            ServeApiTest.assertError(wide, 400, "num_return_sequences");
            assertTrue(wide.body().contains("must be in [1, " + limit + "]"), wide.body());
            ServeApiTest.assertError(f.post("{\"text\": \"" + TEXT + "\", \"do_sample\": true, \"num_return_sequences\": 0}"),
                    400, "num_return_sequences");
            ServeApiTest.assertError(f.post("{\"text\": \"" + TEXT + "\", \"do_sample\": true, \"num_return_sequences\": \"2\"}"),
                    400, "num_return_sequences");
            assertTrue(engine.batchSizes.isEmpty(), "nothing generated for refused requests");
        }
    }

    @Test
    void theRealEnginesCandidatesAreTheBeamsBestFirst() {
        SummarizerEngine engine = GoldenModel.engine(8, 64, 4);
        List<String> texts = List.of(GoldenModel.TEXTS[0], GoldenModel.TEXTS[3]);
        GenerationConfig beams = GenerationConfig.beam(4, 8);
        List<SummaryEngine.Summary> one = engine.summarize(texts, beams, CancellationToken.NEVER);
        List<SummaryEngine.Summary> three = engine.summarize(texts, beams.withNumReturnSequences(3), CancellationToken.NEVER);
        for (int i = 0; i < texts.size(); i++) {
            SummaryEngine.Summary s = three.get(i);
            assertEquals(3, s.candidates().size());
            assertEquals(one.get(i).text(), s.text(), "beam search's best does not depend on how many are returned");
            assertEquals(s.text(), s.candidates().get(0));
            assertEquals(3, new HashSet<>(s.candidates()).size(), "three different hypotheses: " + s.candidates());
            assertTrue(s.generatedTokens() > one.get(i).generatedTokens(), "all candidates' tokens counted");
        }
        Set<String> draws = new HashSet<>(engine.summarize(List.of(GoldenModel.TEXTS[1]),
                GenerationConfig.greedy(8).withSampling(2f, 0, 1f, 11).withNumReturnSequences(6), CancellationToken.NEVER)
                .get(0).candidates());
        assertTrue(draws.size() >= 3, "six draws at temperature 2, " + draws.size() + " different: " + draws);
    }
}
