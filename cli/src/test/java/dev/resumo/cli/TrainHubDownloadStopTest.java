package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop signal while `resumo train` downloads its hub dataset ends the process at once, keeping
 * the .part for the next run. The dataset used to be fetched after train took over SIGINT/SIGTERM
 * for its checkpoint: the signal printed "stopping after the current step" and the download ran on
 * to its end (here: forever, the server holds the rest of the body).
 */
class TrainHubDownloadStopTest {
    private static final String DATA_URL = "/datasets/org/big/resolve/main/data.jsonl";
    private static final byte[] HALF = "{\"text\": \"Um texto.\", \"summary\": \"Resumo.\"}\n".repeat(200).getBytes();

    @Test
    void aStopSignalDuringTheDatasetDownloadEndsTheRunAtOnce(@TempDir Path tmp) throws Exception {
        CountDownLatch halfSent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        hub.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getRawPath();
                if (path.equals("/api/datasets/org/big/revision/main")) {
                    byte[] list = "{\"siblings\": [{\"rfilename\": \"data.jsonl\"}]}".getBytes();
                    ex.sendResponseHeaders(200, list.length);
                    ex.getResponseBody().write(list);
                } else if (path.equals(DATA_URL)) {
                    ex.sendResponseHeaders(200, HALF.length * 2L);
                    ex.getResponseBody().write(HALF);
                    ex.getResponseBody().flush();
                    halfSent.countDown();
                    release.await();
                } else {
                    ex.sendResponseHeaders(404, -1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        hub.start();
        Process p = null;
        try {
            Path model = TinyRandomModel.create(tmp);
            ProcessBuilder pb = ChildTrain.process(tmp, URI.create("http://127.0.0.1:" + hub.getAddress().getPort()),
                    "--model", model.toString(), "--dataset", "org/big", "--output-dir", tmp.resolve("run").toString(),
                    "--max-steps", "2");
            p = pb.start();
            assertTrue(halfSent.await(60, TimeUnit.SECONDS), "the download did not start: " + Files.readString(tmp.resolve("out.txt")));
            // The server has sent half the body; the signal goes once the client has written some of it
            // (on a busy machine the bytes could still be on their way, with no .part yet to keep).
            Path part = tmp.resolve("home/.cache/resumo/hub/datasets/org--big/main/data.jsonl.part");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.isRegularFile(part) && Files.size(part) > 0) && p.isAlive() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertTrue(Files.isRegularFile(part) && Files.size(part) > 0, "no bytes written to " + part + ": "
                    + Files.readString(tmp.resolve("out.txt")));

            p.destroy(); // SIGTERM, which train handles as it does SIGINT
            boolean ended = p.waitFor(20, TimeUnit.SECONDS);
            String out = Files.readString(tmp.resolve("out.txt"));
            assertTrue(ended, "train kept downloading after the signal: " + out);
            assertEquals(143, p.exitValue(), out);
            assertFalse(out.contains("stopping after the current step"), out);
            assertTrue(Files.isRegularFile(part), "the part is kept for the next run: " + out);
            assertFalse(Files.exists(part.resolveSibling("data.jsonl")));
        } finally {
            release.countDown();
            if (p != null) p.destroyForcibly();
            hub.stop(0);
        }
    }
}
