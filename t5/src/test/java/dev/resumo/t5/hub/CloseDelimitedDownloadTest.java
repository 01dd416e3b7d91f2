package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server (a mirror, a proxy) that sends files with neither a length nor a checksum: the body
 * ends when the connection closes, so a connection dropped mid-file looks like a complete file.
 * Before, such a cut-off model.safetensors went into the cache marked complete, and every later
 * run failed to load it with nothing to say the download was at fault. The file's own structure
 * has to show it is whole; a cut-off one is refused and nothing is cached, so the rerun fetches it.
 */
class CloseDelimitedDownloadTest {
    /**
     * Answers HTTP/1.1 with "Connection: close" and no Content-Length, then closes: config.json
     * whole, model.safetensors cut after half its bytes while {@code cut} is set, everything else 404.
     */
    private static final class CloseDelimitedHub implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0);
        final AtomicBoolean cut = new AtomicBoolean(true);
        final Thread thread;

        CloseDelimitedHub(byte[] config, byte[] weights) throws IOException {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        String path = requestPath(s.getInputStream());
                        OutputStream out = s.getOutputStream();
                        byte[] body = path.endsWith("/config.json") ? config : path.endsWith("/model.safetensors")
                                ? (cut.get() ? Arrays.copyOf(weights, weights.length / 2) : weights) : null;
                        if (body == null) {
                            out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        } else {
                            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                            out.write(body);
                        }
                        out.flush();
                    } catch (IOException e) {
                        // closed, or a client that went away: next
                    }
                }
            });
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + listener.getLocalPort());
        }

        private static String requestPath(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) break;
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1).split(" ")[1];
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    @Test
    void aCutOffBodyWithoutALengthIsRefusedAndTheRerunFetchesItWhole(@TempDir Path tmp) throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        float[] values = new float[20_000];
        for (int i = 0; i < values.length; i++) values[i] = i * 0.5f;
        tensors.put("shared.weight", Tensor.of(values, 100, 200));
        Path file = tmp.resolve("weights.safetensors");
        Safetensors.write(file, tensors);
        byte[] weights = Files.readAllBytes(file);
        byte[] config = "{\"d_model\": 32}".getBytes(StandardCharsets.UTF_8);
        Path cache = tmp.resolve("cache");
        RepoId repo = RepoId.parse("org/mirrored");

        try (CloseDelimitedHub hub = new CloseDelimitedHub(config, weights)) {
            ModelDownloader downloader = new ModelDownloader(new HubClient(hub.endpoint(), null, null), cache, null);
            HubException e = assertThrows(HubException.class, () -> downloader.fetch(repo, "main"));
            assertTrue(e.getMessage().contains("org/mirrored/model.safetensors") && e.getMessage().contains("(cut short)"), e.getMessage());
            Path dir = downloader.localDir(repo, "main");
            assertFalse(Files.exists(dir.resolve("model.safetensors")), "the cut-off file is not in the cache");
            assertFalse(Files.exists(dir.resolve("model.safetensors.part")), "nor its part (no resuming what cannot be checked)");
            assertFalse(downloader.isComplete(repo, "main"));

            hub.cut.set(false); // the connection holds this time
            Path fetched = downloader.fetch(repo, "main");
            assertArrayEquals(weights, Files.readAllBytes(fetched.resolve("model.safetensors")));
            assertTrue(downloader.isComplete(repo, "main"));
        }
    }

    @Test
    void aTorchZipOrASentencePieceModelWithoutALengthMustBeWhole(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(new byte[5000]);
            z.closeEntry();
        }
        Path whole = Files.write(tmp.resolve("whole.bin"), zip.toByteArray());
        Path half = Files.write(tmp.resolve("half.bin"), Arrays.copyOf(zip.toByteArray(), zip.size() / 2));
        assertNull(DownloadedFileCheck.problem("pytorch_model.bin", whole, true));
        String problem = DownloadedFileCheck.problem("pytorch_model.bin", half, true);
        assertNotNull(problem);
        assertTrue(problem.contains("no zip end record"), problem);
        assertNull(DownloadedFileCheck.problem("pytorch_model.bin", half, false), "a body of announced length was checked by it");

        Path garbled = Files.write(tmp.resolve("spiece.model"), new byte[] {0x0a, 0x7f, 0x0a, 0x05}); // a field that runs past the end
        String spm = DownloadedFileCheck.problem("spiece.model", garbled, true);
        assertNotNull(spm);
        assertTrue(spm.startsWith("it is not a usable SentencePiece model"), spm);
        assertEquals(null, DownloadedFileCheck.problem("spiece.model", garbled, false));
    }
}
