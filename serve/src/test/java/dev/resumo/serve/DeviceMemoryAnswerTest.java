package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.backend.DeviceMemoryException;
import dev.resumo.t5.generate.GenerationConfig;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A batch too big for the GPU is a 503 that says so in one line, and the server goes on serving. */
class DeviceMemoryAnswerTest {
    /** The fake engine, except that its first batch fails as {@code failure} makes it. */
    private static final class FirstBatchFails extends ForwardingEngine {
        private final AtomicBoolean failed = new AtomicBoolean();
        private final Runnable failure;

        FirstBatchFails(Runnable failure) {
            super(new FakeEngine(0, 512));
            this.failure = failure;
        }

        @Override
        public List<Summary> summarize(List<String> texts, GenerationConfig settings, CancellationToken cancel) {
            if (failed.compareAndSet(false, true)) failure.run();
            return super.summarize(texts, settings, cancel);
        }
    }

    /** Posts a text to a server whose first batch fails; returns the 503's message after checking the next request is served. */
    private static String firstAnswer503(Runnable failure) throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FirstBatchFails(failure))) {
            HttpResponse<String> r = f.post("{\"text\": \"um dois três quatro\"}");
            ServeApiTest.assertError(r, 503, "server");
            String message = ServerFixture.json(r).get("error").get("message").asText();
            assertTrue(!r.body().contains("internal error") && !message.contains("\n"), r.body());
            HttpResponse<String> next = f.post("{\"text\": \"um dois três quatro\"}");
            assertEquals(200, next.statusCode(), next.body());
            return message;
        }
    }

    @Test
    void aBatchThatDoesNotFitTheDeviceIsA503NamingTheSizeAndTheWayOut() throws Exception {
        String message = firstAnswer503(() -> {
            throw new DeviceMemoryException("OpenCL device 'Test GPU': a buffer of 3.0 GiB is over its largest allocation of 1.0 GiB", null);
        });
        assertTrue(message.contains("3.0 GiB") && message.contains("1.0 GiB"), message);
        assertTrue(message.contains("--max-batch"), message);
    }

    @Test
    void aBatchWhoseTensorsPassTheElementLimitIsA503NamingTheShape() throws Exception {
        // what the engine's shape check throws for 16 texts of 8192 tokens on a 4-head model
        String message = firstAnswer503(() -> Tensor.zeros(16, 4, 8192, 8192));
        assertTrue(message.contains("[16, 4, 8192, 8192]") && message.contains("--max-batch"), message);
    }
}
