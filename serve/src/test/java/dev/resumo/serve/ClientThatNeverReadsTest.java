package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A client that sends requests and never reads the answers: once its receive window is full the
 * server's write blocks, and a socket write has no timeout, so before {@link WriteStall} the
 * connection — and its place under --max-connections — was held until the server stopped.
 */
class ClientThatNeverReadsTest {
    @Test
    void aConnectionWhoseAnswersAreNotReadIsClosedAfterTheIdleTimeout() throws Exception {
        ServeConfig config = ServerFixture.config().withConnections(2, 300);
        try (ServerFixture f = new ServerFixture(config, new FakeEngine(0, 512)); Socket s = new Socket()) {
            s.setReceiveBufferSize(4096); // a small window fills after a few answers
            s.connect(new InetSocketAddress(f.server.uri().getHost(), f.server.port()), 5000);
            byte[] request = "GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    // far more answers than any socket buffers hold: the server's write must block
                    for (int i = 0; i < 20_000; i++) out.write(request);
                    out.flush();
                } catch (java.io.IOException closedByTheServer) {
                    // the server ended the connection while requests were still going out
                }
            });
            MaxConnectionsTest.awaitOpen(f, 1);
            // waitFor allows 10 s, against a 300 ms idle timeout checked every 75 ms: slack for a loaded machine
            MaxConnectionsTest.awaitOpen(f, 0);
            sender.join(30_000);
            assertTrue(!sender.isAlive(), "the sender is not left blocked on a connection the server closed");
            assertEquals(200, f.get("/health").statusCode(), "the server serves on");
        }
    }
}
