package dev.resumo.serve;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.Socket;

/**
 * The socket's output, with how long the write under way has waited. A socket write has no
 * timeout: a client that sends requests (pipelined, say) but never reads the answers fills its
 * receive window, and the write then blocks for good — the idle timeout, which only reads honour,
 * never ends the connection, and its place under --max-connections is held until the server stops
 * (measured: 5000 pipelined GET /openapi.json never read, held past 10 s under --idle-timeout 3).
 * {@link HttpServerCore} closes a connection whose write has waited longer than the idle timeout.
 * Writes go out in pieces of {@link #PIECE} bytes, so a large answer to a slow reader that does
 * make progress is not taken for a stalled one.
 */
final class WriteStall extends FilterOutputStream {
    static final int PIECE = 8192;
    private static final long NO_WRITE = Long.MIN_VALUE;
    private final Socket socket;
    private volatile long waitingSinceNanos = NO_WRITE;

    WriteStall(Socket socket) throws IOException {
        super(socket.getOutputStream());
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int done = 0; done < len; ) {
            int n = Math.min(PIECE, len - done);
            waitingSinceNanos = System.nanoTime();
            try {
                out.write(b, off + done, n);
            } finally {
                waitingSinceNanos = NO_WRITE;
            }
            done += n;
        }
    }

    /** Closes the socket (the blocked write then fails) when a write has waited past {@code limitNanos}; whether it did. */
    boolean closeIfStalled(long nowNanos, long limitNanos) {
        long since = waitingSinceNanos;
        if (since == NO_WRITE || nowNanos - since < limitNanos) return false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        return true;
    }
}
