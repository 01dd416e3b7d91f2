package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
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
            Path model = tmp.resolve("model");
            Files.createDirectories(model);
            copyDemoResource("config.json", model.resolve("demo-config.json"));
            copyDemoResource("spiece.model", model.resolve("spiece.model"));
            T5Checkpoint.save(T5Init.random(T5Config.load(model.resolve("demo-config.json")), new Xoshiro256Random(1)), model);

            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElseThrow());
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> !a.startsWith("-agentlib")).toList());
            cmd.addAll(List.of("-Duser.home=" + tmp.resolve("home"), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "train", "--model", model.toString(), "--dataset", "csebuetnlp/xlsum:portuguese",
                    "--output-dir", tmp.resolve("run").toString(), "--max-steps", "2", "--batch-size", "2",
                    "--max-source-length", "32", "--max-target-length", "8", "--eval-steps", "2", "--max-new-tokens", "4"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
            pb.environment().put("HF_ENDPOINT", "http://127.0.0.1:" + hub.getAddress().getPort());
            pb.environment().remove("HF_TOKEN");
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

    private static void copyDemoResource(String name, Path to) throws Exception {
        try (InputStream in = TrainFromHubDatasetTest.class.getResourceAsStream("/dev/resumo/train/demo/" + name)) {
            Files.copy(in, to);
        }
    }
}
