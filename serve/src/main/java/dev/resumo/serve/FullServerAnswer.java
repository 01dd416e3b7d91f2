package dev.resumo.serve;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.Socket;
import java.util.Set;

/**
 * What a connection past --max-connections gets. Its request head is read, for at most
 * {@link #HEAD_READ_LIMIT_MS} in all (no body is read): a GET or HEAD of /health, /ready or
 * /metrics is answered as on a served connection, with Connection: close, because liveness and
 * readiness probes open a fresh connection each time and a server that is merely busy must not be
 * restarted or taken out of rotation for answering them 503. Anything else — another request, a
 * malformed head, one not whole in time, nothing at all — gets 503 with Retry-After and the usual
 * error body, counted under the request's path when its head was read (else "other"). Either
 * answer ends with a lingering close so the client reads it rather than a reset.
 *
 * <p>The short bound is what keeps this cheap: the wait holds a descriptor past the bound, so it
 * is counted in the at most {@link ConnectionLimit#ANSWERING_REFUSALS} refusals answered at once.
 */
final class FullServerAnswer {
    static final int RETRY_AFTER_SECONDS = 1;
    /**
     * How long the whole head may take to arrive: a probe sends it with its connection, so half a
     * second is plenty for it and bounds what a client that sends nothing can hold.
     */
    static final int HEAD_READ_LIMIT_MS = 500;
    private static final Set<String> MONITORING_PATHS = Set.of("/health", "/ready", "/metrics");

    /** How the server answers a monitoring request: as on a served connection, then no keep-alive. */
    @FunctionalInterface
    interface MonitoringAnswer {
        void answer(Socket socket, PushbackInputStream in, OutputStream out, RequestReader.Head head) throws IOException;
    }

    private final HttpResponse full;
    private final ConnectionLimit limit;
    private final HttpHandler handler;
    private final MonitoringAnswer monitoring;

    FullServerAnswer(ConnectionLimit limit, HttpHandler handler, MonitoringAnswer monitoring) {
        this.full = response(limit.max());
        this.limit = limit;
        this.handler = handler;
        this.monitoring = monitoring;
    }

    private static HttpResponse response(int maxConnections) {
        return ApiErrors.response(503, "connections", "the server is at its limit of " + maxConnections
                        + " open connections (--max-connections); try again in " + RETRY_AFTER_SECONDS + " s")
                .withHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }

    /** Answers the connection (monitoring or 503) and closes it; a client already gone is no error. */
    void send(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            RequestDeadline deadline = new RequestDeadline(socket, HEAD_READ_LIMIT_MS, HEAD_READ_LIMIT_MS);
            PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(deadline), 1);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1024);
            RequestReader.Head head = headWithinLimit(deadline, in);
            deadline.disarm();
            if (head != null && isMonitoring(head)) {
                limit.monitoringAnswered();
                monitoring.answer(socket, in, out, head);
            } else {
                // Counted before it is written, as every answer is, so a client never sees /metrics behind it.
                limit.refusalAnswered();
                handler.answeredEarly(head == null ? null : head.path(), 503);
                HttpServerCore.write(out, full, HttpServerCore.requestId(head), false, false);
            }
            HttpServerCore.lingeringClose(socket, in);
        } catch (IOException ignored) {
            // the client left before its answer: nothing to do
        }
    }

    /** The request head, or null when it is malformed, cut short or not whole within the limit. */
    private static RequestReader.Head headWithinLimit(RequestDeadline deadline, InputStream in) {
        deadline.arm(); // from the accept, not the first byte: a client that sends nothing is bounded too
        try {
            return new RequestReader(in, 0).readHead();
        } catch (IOException notARequestInTime) {
            return null; // all of these get the 503
        }
    }

    private static boolean isMonitoring(RequestReader.Head head) {
        return (head.method().equals("GET") || head.method().equals("HEAD")) && MONITORING_PATHS.contains(head.path());
    }
}
