package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resumo.t5.generate.GenerationConfig;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model's generation settings fill in what a request leaves out, within the operator's
 * --max-new-tokens-limit and --max-beams-limit: before, a model saying max_new_tokens 200 and
 * num_beams 4 ran 200 tokens and 4 beams for every request that left them out, under limits of
 * 32 and 2 that refused a request asking for as much.
 */
class ModelDefaultsWithinLimitsTest {
    private static final String TEXT = "O governo anunciou hoje um novo plano";

    @Test
    void leftOutSettingsTakeTheModelsValueCappedAtTheLimit() throws Exception {
        FakeEngine fake = new FakeEngine(0, 512);
        SummaryEngine generousModel = new ForwardingEngine(fake) {
            @Override
            public GenerationConfig defaults() {
                return GenerationConfig.beam(4, 200).withMinNewTokens(50);
            }
        };
        ServeConfig tight = new ServeConfig("127.0.0.1", 0, List.of(), 8192, 16, 8, 5, 30_000, true, 32, 2, 8, 1000);
        try (ServerFixture f = new ServerFixture(tight, generousModel)) {
            HttpResponse<String> r = f.post("{\"text\": \"" + TEXT + "\"}");
            assertEquals(200, r.statusCode(), r.body());
            GenerationConfig ran = fake.batchSettings.get(0);
            assertEquals(32, ran.maxNewTokens(), "max_new_tokens left out: the model's 200, capped at --max-new-tokens-limit");
            assertEquals(32, ran.minNewTokens(), "min_new_tokens left out: the model's 50, capped at max_new_tokens");
            assertEquals(2, ran.numBeams(), "num_beams left out: the model's 4, capped at --max-beams-limit");

            r = f.post("{\"text\": \"" + TEXT + "\", \"max_new_tokens\": 10, \"num_beams\": 1}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(10, fake.batchSettings.get(1).maxNewTokens(), "a value the request gives is used as given");
            assertEquals(1, fake.batchSettings.get(1).numBeams());
            ServeApiTest.assertError(f.post("{\"text\": \"" + TEXT + "\", \"max_new_tokens\": 33}"), 400, "max_new_tokens");
            ServeApiTest.assertError(f.post("{\"text\": \"" + TEXT + "\", \"num_beams\": 3}"), 400, "num_beams");
        }
    }

    @Test
    void settingsWithinTheLimitsAreTheModelsOwn() throws Exception {
        FakeEngine engine = new FakeEngine(0, 512); // greedy, max_new_tokens 64
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), engine)) {
            assertEquals(200, f.post("{\"text\": \"" + TEXT + "\"}").statusCode());
            assertEquals(64, engine.batchSettings.get(0).maxNewTokens());
            assertEquals(1, engine.batchSettings.get(0).numBeams());
        }
    }
}
