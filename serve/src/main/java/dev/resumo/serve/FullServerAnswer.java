package dev.resumo.serve;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.Socket;

/**
 * The answer a connection past --max-connections gets: 503 with Retry-After and the usual error
 * body, written at once without reading the request (waiting for a request would hold the very
 * descriptor the bound protects), then a lingering close so the client reads the 503 rather than
 * a reset. The request was never read, so its count in /metrics is under path "other".
 */
final class FullServerAnswer {
    static final int RETRY_AFTER_SECONDS = 1;

    private FullServerAnswer() {}

    static HttpResponse response(int maxConnections) {
        return ApiErrors.response(503, "connections", "the server is at its limit of " + maxConnections
                        + " open connections (--max-connections); try again in " + RETRY_AFTER_SECONDS + " s")
                .withHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }

    /** Writes the 503 and closes; a client already gone is no error. */
    static void send(Socket socket, HttpResponse answer) {
        try (socket) {
            socket.setTcpNoDelay(true);
            // A fresh connection's send buffer takes these few hundred bytes at once; the timeout only
            // bounds the lingering read.
            socket.setSoTimeout(HttpServerCore.LINGER_MS);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1024);
            HttpServerCore.write(out, answer, RequestIds.of(null), false, false);
            HttpServerCore.lingeringClose(socket, new PushbackInputStream(new BufferedInputStream(socket.getInputStream()), 1));
        } catch (IOException ignored) {
            // the client left before its answer: nothing to do
        }
    }
}
