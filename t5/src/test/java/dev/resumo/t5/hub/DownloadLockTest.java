package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two fetches of one file into one cache: the second waits for the first and uses its file. Before
 * the lock, both wrote the same .part and the cache ended up with a file longer than the hub's in a
 * folder marked complete.
 */
class DownloadLockTest {
    private static final String REPO = "org/model";
    private static final byte[] WEIGHTS = "the weights, whole".getBytes(StandardCharsets.UTF_8);

    /** Stands in for another `resumo fetch`: holds the lock on args[0] until its stdin closes. */
    public static final class OtherProcess {
        public static void main(String[] args) throws Exception {
            try (DownloadLock lock = DownloadLock.acquire(Path.of(args[0]), "x", null)) {
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // held until the test closes our stdin
                }
            }
        }
    }

    /** A log that opens {@code latch} once a line saying the download waits has been printed. */
    private static PrintStream waitWatcher(CountDownLatch latch, StringBuilder seen) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b != '\n') {
                    line.write(b);
                    return;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                seen.append(text).append('\n');
                if (text.startsWith("waiting for")) latch.countDown();
            }
        }, true, StandardCharsets.UTF_8);
    }

    private static CompletableFuture<Boolean> downloadInBackground(FakeHub hub, Path target, PrintStream log) {
        HubClient client = new HubClient(hub.endpoint(), null, log);
        return CompletableFuture.supplyAsync(() -> client.download(RepoId.parse(REPO), "main", "model.safetensors", target, false));
    }

    @Test
    void aSecondDownloadInAnotherProcessWaitsAndUsesTheFirstOnesFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.safetensors");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OtherProcess.class.getName(), target.toString())
                .redirectErrorStream(true).start();
        try (FakeHub hub = new FakeHub()) {
            hub.put(REPO, "main", "model.safetensors", "other bytes: must not be fetched".getBytes(StandardCharsets.UTF_8), true);
            BufferedReader childOut = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", childOut.readLine());

            CountDownLatch waiting = new CountDownLatch(1);
            StringBuilder log = new StringBuilder();
            CompletableFuture<Boolean> second = downloadInBackground(hub, target, waitWatcher(waiting, log));
            assertTrue(waiting.await(5, TimeUnit.SECONDS), "the second download must wait for the first: " + log);
            assertTrue(log.toString().contains("process " + other.pid()), "names the other process: " + log);

            Files.write(target, WEIGHTS); // the other process finishes its download
            other.getOutputStream().close();
            assertTrue(second.get(5, TimeUnit.SECONDS));
            assertArrayEquals(WEIGHTS, Files.readAllBytes(target));
            assertEquals(0, hub.seen.size(), "the waiting download used the finished file: " + hub.seen);
        } finally {
            other.destroy();
        }
    }

    @Test
    void aSecondDownloadInThisProcessWaitsAndUsesTheFirstOnesFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.safetensors");
        try (FakeHub hub = new FakeHub()) {
            hub.put(REPO, "main", "model.safetensors", "other bytes: must not be fetched".getBytes(StandardCharsets.UTF_8), true);
            CountDownLatch waiting = new CountDownLatch(1);
            StringBuilder log = new StringBuilder();
            CompletableFuture<Boolean> second;
            try (DownloadLock first = DownloadLock.acquire(target, REPO + "/model.safetensors", null)) {
                second = downloadInBackground(hub, target, waitWatcher(waiting, log));
                assertTrue(waiting.await(5, TimeUnit.SECONDS), "the second download must wait for the first: " + log);
                Files.write(target, WEIGHTS);
            }
            assertTrue(second.get(5, TimeUnit.SECONDS));
            assertArrayEquals(WEIGHTS, Files.readAllBytes(target));
            assertEquals(0, hub.seen.size(), "the waiting download used the finished file: " + hub.seen);
        }
    }
}
