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
    /** The fake engine, except that its first batch runs out of device memory. */
    private static final class FirstBatchTooBig extends ForwardingEngine {
        private final AtomicBoolean failed = new AtomicBoolean();

        FirstBatchTooBig() {
            super(new FakeEngine(0, 512));
        }

        @Override
        public List<Summary> summarize(List<String> texts, GenerationConfig settings, CancellationToken cancel) {
            if (failed.compareAndSet(false, true)) {
                throw new DeviceMemoryException("OpenCL device 'Test GPU': a buffer of 3.0 GiB is over its largest allocation of 1.0 GiB", null);
            }
            return super.summarize(texts, settings, cancel);
        }
    }

    @Test
    void aBatchThatDoesNotFitTheDeviceIsA503NamingTheSizeAndTheWayOut() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FirstBatchTooBig())) {
            HttpResponse<String> r = f.post("{\"text\": \"um dois três quatro\"}");
            ServeApiTest.assertError(r, 503, "server");
            String message = ServerFixture.json(r).get("error").get("message").asText();
            assertTrue(message.contains("3.0 GiB") && message.contains("1.0 GiB"), message);
            assertTrue(message.contains("--max-batch"), message);
            assertTrue(!r.body().contains("internal error") && !message.contains("\n"), r.body());
            HttpResponse<String> next = f.post("{\"text\": \"um dois três quatro\"}");
            assertEquals(200, next.statusCode(), next.body());
        }
    }

    /** The fake engine, except that its first batch makes a tensor past 2^31-1 elements. */
    private static final class FirstBatchPastTheTensorLimit extends ForwardingEngine {
        private final AtomicBoolean failed = new AtomicBoolean();

        FirstBatchPastTheTensorLimit() {
            super(new FakeEngine(0, 512));
        }

        @Override
        public List<Summary> summarize(List<String> texts, GenerationConfig settings, CancellationToken cancel) {
            if (failed.compareAndSet(false, true)) {
                // what the engine's shape check throws for 16 texts of 8192 tokens on a 4-head model
                Tensor.zeros(16, 4, 8192, 8192);
            }
            return super.summarize(texts, settings, cancel);
        }
    }

    @Test
    void aBatchWhoseTensorsPassTheElementLimitIsA503NamingTheShape() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerFixture.config(), new FirstBatchPastTheTensorLimit())) {
            HttpResponse<String> r = f.post("{\"text\": \"um dois três quatro\"}");
            ServeApiTest.assertError(r, 503, "server");
            String message = ServerFixture.json(r).get("error").get("message").asText();
            assertTrue(message.contains("[16, 4, 8192, 8192]") && message.contains("--max-batch"), message);
            assertTrue(!r.body().contains("internal error") && !message.contains("\n"), r.body());
            HttpResponse<String> next = f.post("{\"text\": \"um dois três quatro\"}");
            assertEquals(200, next.statusCode(), next.body());
        }
    }
}
