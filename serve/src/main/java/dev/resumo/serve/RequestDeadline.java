package dev.resumo.serve;

import java.io.FilterInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The socket's input with a limit on how long one request may take to arrive, head and body
 * together. The idle timeout alone is renewed by every byte, so a client sending one byte every
 * few seconds (slowloris) would hold its connection — and a file descriptor — forever; many of
 * them exhaust the process's descriptors and nobody else gets in. Armed when a request's first
 * byte arrives, disarmed once it is read: waiting for the next request on a kept-alive connection
 * is the idle timeout's business.
 */
final class RequestDeadline extends FilterInputStream {
    private final Socket socket;
    private final int idleTimeoutMillis;
    private final long limitMillis;
    private long deadlineNanos = Long.MAX_VALUE;
    /** Whether the socket's timeout for the read under way is what the request has left (not the idle timeout). */
    private boolean waitIsTheDeadline;

    RequestDeadline(Socket socket, int idleTimeoutMillis, long limitMillis) throws IOException {
        super(socket.getInputStream());
        this.socket = socket;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.limitMillis = limitMillis;
    }

    /** A request has begun: all of it must be here within the limit. */
    void arm() {
        deadlineNanos = System.nanoTime() + limitMillis * 1_000_000;
    }

    /** The request is read; reads go back to the idle timeout. */
    void disarm() throws IOException {
        deadlineNanos = Long.MAX_VALUE;
        socket.setSoTimeout(idleTimeoutMillis);
    }

    @Override
    public int read() throws IOException {
        beforeRead();
        try {
            return super.read();
        } catch (SocketTimeoutException e) {
            throw timedOutOr(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        beforeRead();
        try {
            return super.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw timedOutOr(e);
        }
    }

    /**
     * Waits for bytes no longer than the request has left (nor than the idle timeout). A timeout
     * set from what is left means the deadline when it fires, whatever the clock says then: the
     * left time was rounded to whole milliseconds, and a check of the clock against the deadline
     * could find it a fraction of a millisecond short — the slow client then got a silent close
     * instead of its 408 (SlowClientsTest failed one run in two on a loaded machine).
     */
    private void beforeRead() throws IOException {
        waitIsTheDeadline = false;
        if (deadlineNanos == Long.MAX_VALUE) return;
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw timedOut();
        waitIsTheDeadline = left <= idleTimeoutMillis;
        socket.setSoTimeout((int) Math.min(idleTimeoutMillis, left));
    }

    private IOException timedOutOr(SocketTimeoutException e) {
        if (deadlineNanos == Long.MAX_VALUE) return e;
        return waitIsTheDeadline || System.nanoTime() >= deadlineNanos ? timedOut() : e;
    }

    private MalformedRequestException timedOut() {
        return new MalformedRequestException(408, "the request did not arrive within " + limitMillis / 1000.0
                + " s (head and body); send it whole, without pauses");
    }
}
