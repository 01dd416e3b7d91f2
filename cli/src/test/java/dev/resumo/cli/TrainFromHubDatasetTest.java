package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo train --dataset csebuetnlp/xlsum:portuguese` in a child JVM whose HF_ENDPOINT points at a
 * loopback server holding the XL-Sum archive where the hub keeps it; a small random T5, 2 steps.
 */
class TrainFromHubDatasetTest {
    private static final String ARCHIVE_URL = "/datasets/csebuetnlp/xlsum/resolve/main/data/portuguese_XLSum_v2.0.tar.bz2";

    @Test
    void trainsOnAHubDatasetFetchedThroughHfEndpoint(@TempDir Path tmp) throws Exception {
        // The tiny XL-Sum fixture of the train module (weights-tools/make_xlsum_fixture.py); tests run in cli/.
        Path fixture = Path.of("..", "train", "src", "test", "resources", "data", "portuguese_XLSum_v2.0.tar.bz2");
        assertTrue(Files.isRegularFile(fixture), "fixture missing: " + fixture.toAbsolutePath());
        byte[] archive = Files.readAllBytes(fixture);
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        HttpServer hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", ex -> {
            requests.add(ex.getRequestURI().getRawPath());
            try (ex) {
                byte[] body = ex.getRequestURI().getRawPath().equals(ARCHIVE_URL) ? archive : "not found".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(body == archive ? 200 : 404, body.length);
                ex.getResponseBody().write(body);
            }
        });
        hub.start();
        try {
            Path model = TinyRandomModel.create(tmp);
            ProcessBuilder pb = ChildTrain.process(tmp, URI.create("http://127.0.0.1:" + hub.getAddress().getPort()),
                    "--model", model.toString(), "--dataset", "csebuetnlp/xlsum:portuguese",
                    "--output-dir", tmp.resolve("run").toString(), "--max-steps", "2", "--batch-size", "2",
                    "--max-source-length", "32", "--max-target-length", "8", "--eval-steps", "2", "--max-new-tokens", "4");
            Process p = pb.start();
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "train did not finish in 180 s");
            String out = Files.readString(tmp.resolve("out.txt"));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("FINISHED after 2 steps"), out);
            assertEquals(List.of(ARCHIVE_URL), requests);
            assertTrue(Files.isRegularFile(tmp.resolve("home/.cache/resumo/hub/datasets/csebuetnlp--xlsum/main/data/portuguese_XLSum_v2.0.tar.bz2")));
            assertTrue(Files.isRegularFile(tmp.resolve("run/model/model.safetensors")));
        } finally {
            hub.stop(0);
        }
    }
}
