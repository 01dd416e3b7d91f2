package dev.resumo.serve;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small HTTP/1.1 server: one virtual thread per connection, keep-alive, Content-Length and
 * chunked request bodies with a size limit counted while reading, at most --max-connections
 * connections at once ({@link ConnectionLimit}). It is written here instead of
 * using com.sun.net.httpserver because a handler must be able to notice that its client hung up
 * while it waits for a summary (so the client's slot is freed), which that server cannot tell.
 */
public final class HttpServerCore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HttpServerCore.class.getName());
    /**
     * How long a kept-alive connection may wait for its next request (or a new one for its first)
     * before the server closes it: long enough for a client's next call in a session, short enough
     * that idle connections give their place under --max-connections back within half a minute.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final int LINGER_MS = 500;
    /**
     * How long one request may take to arrive, head and body (see {@link RequestDeadline}): a 1 MB
     * body (the default limit) needs only about 17 KB/s to make it.
     */
    public static final Duration DEFAULT_REQUEST_READ_LIMIT = Duration.ofSeconds(60);
    /** Accept failures (descriptors exhausted) back off this long at first, doubling up to the max. */
    private static final long ACCEPT_BACKOFF_MIN_MS = 50;
    private static final long ACCEPT_BACKOFF_MAX_MS = 1000;

    private final ServerSocket listener;
    private final HttpHandler handler;
    private final long maxBodyBytes;
    private final long requestReadLimitMillis;
    private final int idleTimeoutMillis;
    private final ConnectionLimit limit;
    /** What a connection past the limit gets: a monitoring answer or a 503. */
    private final FullServerAnswer full;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** The output of every connection being served, checked for writes that wait too long (see {@link WriteStall}). */
    private final Set<WriteStall> writers = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService stallWatch = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("resumo-http-write-stall").daemon(true).factory());
    private final Thread acceptor;
    private volatile boolean closed;
    /** Requests read and not yet fully answered: close waits (briefly) for their answers to be written. */
    private final java.util.concurrent.atomic.AtomicInteger answering = new java.util.concurrent.atomic.AtomicInteger();
    private static final long ANSWER_WRITE_WAIT_MS = 2000;
    static final String CSP = "Content-Security-Policy";
    /** For JSON and text answers: nothing to run, load or frame. */
    private static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    public HttpServerCore(String host, int port, long maxBodyBytes, HttpHandler handler) throws IOException {
        this(host, port, maxBodyBytes, DEFAULT_REQUEST_READ_LIMIT, handler);
    }

    /** As above, with a request that takes longer than {@code requestReadLimit} to arrive answered 408. */
    public HttpServerCore(String host, int port, long maxBodyBytes, Duration requestReadLimit, HttpHandler handler) throws IOException {
        this(host, port, maxBodyBytes, requestReadLimit, DEFAULT_IDLE_TIMEOUT, ServeConfig.DEFAULT_MAX_CONNECTIONS, handler);
    }

    /**
     * As above, with kept-alive connections closed after {@code idleTimeout} without a request, and
     * at most {@code maxConnections} served at once (past it, a 503: see {@link ConnectionLimit}).
     */
    public HttpServerCore(String host, int port, long maxBodyBytes, Duration requestReadLimit, Duration idleTimeout,
                          int maxConnections, HttpHandler handler) throws IOException {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.requestReadLimitMillis = Math.max(1, requestReadLimit.toMillis());
        this.idleTimeoutMillis = (int) Math.clamp(idleTimeout.toMillis(), 1, Integer.MAX_VALUE);
        this.limit = new ConnectionLimit(maxConnections);
        this.full = new FullServerAnswer(limit, handler,
                (socket, in, out, head) -> answer(socket, in, out, head, new byte[0], false));
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 256);
        this.acceptor = Thread.ofPlatform().name("resumo-http-accept").daemon(true).start(this::acceptLoop);
        long every = Math.clamp(idleTimeoutMillis / 4, 10, 1000);
        stallWatch.scheduleWithFixedDelay(this::closeStalledWriters, every, every, TimeUnit.MILLISECONDS);
    }

    /** Ends the connections whose answer has waited longer than the idle timeout for a client that does not read. */
    private void closeStalledWriters() {
        long now = System.nanoTime();
        long limitNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
        for (WriteStall w : writers) {
            if (w.closeIfStalled(now, limitNanos)) log(Level.FINE, "closed a connection whose client read nothing for "
                    + idleTimeoutMillis + " ms while an answer waited");
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The bound on open connections and its counts (for /metrics). */
    ConnectionLimit connections() {
        return limit;
    }

    /**
     * Accepts until closed, whatever happens: with the process's file descriptors used up, accept
     * fails (and so can the logging of it, which may need a file of its own) until connections
     * close. The loop must outlive that — a dead acceptor leaves a server that runs and answers
     * nobody — and must not spin on it: it backs off, and says so once per outage.
     */
    private void acceptLoop() {
        long backoff = 0;
        while (!closed) {
            try {
                Socket s = listener.accept();
                if (backoff > 0) {
                    backoff = 0;
                    log(Level.INFO, "accepting connections again");
                }
                if (limit.tryOpen()) {
                    open.add(s);
                    start(s, () -> serve(s), () -> {
                        open.remove(s);
                        limit.closed();
                    });
                } else {
                    refuse(s);
                }
            } catch (Throwable e) {
                if (closed) return;
                if (backoff == 0) log(Level.WARNING, "cannot accept connections (" + e + "); retrying until it can");
                backoff = Math.min(ACCEPT_BACKOFF_MAX_MS, Math.max(ACCEPT_BACKOFF_MIN_MS, backoff * 2));
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Runs a connection's work on its own virtual thread; undone (and the socket closed) once the server stops taking work. */
    private void start(Socket s, Runnable work, Runnable undo) {
        try {
            connections.submit(work);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            undo.run();
            closeQuietly(s);
        }
    }

    /**
     * A connection past --max-connections: answered (a monitoring request, else a 503) when a place to
     * answer it is free, else closed unanswered.
     */
    private void refuse(Socket s) {
        if (!limit.tryAnswerRefusal()) {
            closeQuietly(s);
            return;
        }
        start(s, () -> {
            try {
                full.send(s);
            } finally {
                limit.refusalDone();
            }
        }, limit::refusalDone);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Logging that cannot take the acceptor down (it may fail for the very reason it reports). */
    private static void log(Level level, String message) {
        try {
            LOG.log(level, message);
        } catch (Throwable ignored) {
            System.err.println("resumo serve: " + message);
        }
    }

    /**
     * Serves one connection until either side ends it. Its place under --max-connections is given
     * back before the socket closes: a client that reads the end of one connection and opens the
     * next at once must find the place free, not get a 503 for the connection it just left.
     */
    private void serve(Socket socket) {
        try {
            serveRequests(socket);
        } finally {
            open.remove(socket);
            limit.closed();
            closeQuietly(socket);
        }
    }

    private void serveRequests(Socket socket) {
        WriteStall writer = null;
        try {
            socket.setSoTimeout(idleTimeoutMillis);
            socket.setTcpNoDelay(true);
            RequestDeadline deadline = new RequestDeadline(socket, idleTimeoutMillis, requestReadLimitMillis);
            PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(deadline), 1);
            writer = new WriteStall(socket);
            writers.add(writer);
            OutputStream out = new BufferedOutputStream(writer);
            RequestReader reader = new RequestReader(in, maxBodyBytes);
            while (!closed) {
                RequestReader.Head head = null;
                byte[] body;
                try {
                    int first = in.read(); // waits as long as a kept-alive connection may idle
                    if (first < 0) return;
                    in.unread(first);
                    RequestReader.refuseTls(first);
                    deadline.arm();
                    head = reader.readHead();
                    if (head == null) return;
                    body = reader.readBody(head, out);
                    deadline.disarm();
                } catch (BodyTooLargeException e) {
                    deadline.disarm(); // the lingering close below sets its own short timeout
                    handler.answeredEarly(head == null ? null : head.path(), 413);
                    write(out, ApiErrors.response(413, "body", e.getMessage()), requestId(head), false, false);
                    lingeringClose(socket, in);
                    return;
                } catch (MalformedRequestException e) {
                    deadline.disarm();
                    handler.answeredEarly(head == null ? null : head.path(), e.status());
                    write(out, ApiErrors.response(e.status(), "request", e.getMessage()), requestId(head), false, false);
                    lingeringClose(socket, in);
                    return;
                }
                if (!answer(socket, in, out, head, body, true)) return;
            }
        } catch (SocketTimeoutException | SocketException | java.io.EOFException e) {
            // idle keep-alive connection timed out, or the client went away: nothing to answer
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection error", e);
        } finally {
            if (writer != null) writers.remove(writer);
        }
    }

    /**
     * Has the handler answer one request and writes its answer (a 500 when the handler fails);
     * whether the connection may be kept alive after it, never when {@code mayKeepAlive} is false.
     */
    private boolean answer(Socket socket, PushbackInputStream in, OutputStream out, RequestReader.Head head, byte[] body,
                           boolean mayKeepAlive) throws IOException {
        HttpRequest request = new HttpRequest(head.method(), head.path(), head.query(), head.headers(), body, requestId(head));
        answering.incrementAndGet();
        try {
            HttpResponse response;
            try {
                response = handler.handle(request, () -> clientGone(socket, in));
            } catch (Exception e) {
                LOG.log(Level.SEVERE, "request " + request.requestId() + ": handler failed on " + head.method() + " "
                        + head.path(), e);
                response = ApiErrors.response(500, "server", "internal error: " + e.getClass().getSimpleName());
            }
            boolean keepAlive = mayKeepAlive && head.keepAlive() && !closed && !"close".equals(response.headers().get("Connection"));
            write(out, response, request.requestId(), keepAlive, head.method().equals("HEAD"));
            return keepAlive;
        } finally {
            answering.decrementAndGet();
        }
    }

    /**
     * Whether the peer has closed its side: a 1 ms read that sees end-of-stream. A byte that does
     * arrive (a pipelined next request) is pushed back for the next read.
     */
    private boolean clientGone(Socket socket, PushbackInputStream in) {
        try {
            if (in.available() > 0) return false;
            socket.setSoTimeout(1);
            int b = in.read();
            if (b < 0) return true;
            in.unread(b);
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                socket.setSoTimeout(idleTimeoutMillis);
            } catch (SocketException ignored) {
                // socket already closed: the next write fails and ends the connection
            }
        }
    }

    /** Lets the client read an early error answer instead of a reset: stop sending, drain briefly, close. */
    static void lingeringClose(Socket socket, PushbackInputStream in) {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(LINGER_MS);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MS);
            byte[] sink = new byte[8192];
            while (System.nanoTime() < until && in.read(sink) >= 0) {
                // discard what the client is still sending
            }
        } catch (IOException ignored) {
            // the client is gone: nothing more to do
        }
    }

    static String requestId(RequestReader.Head head) {
        return RequestIds.of(head == null ? null : head.headers().get("x-request-id"));
    }

    /**
     * Security headers go on every answer: nothing here is meant to be framed, sniffed, cached or
     * to leak the page address; a response may bring its own Content-Security-Policy (the page does).
     */
    static void write(OutputStream out, HttpResponse r, String requestId, boolean keepAlive, boolean headOnly)
            throws IOException {
        StringBuilder head = new StringBuilder(512);
        head.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
        if (r.status() != 204) { // a 204 carries neither (RFC 9110 §8.6)
            head.append("Content-Type: ").append(r.contentType()).append("\r\n");
            head.append("Content-Length: ").append(r.body().length).append("\r\n");
        }
        head.append("Cache-Control: no-store\r\n");
        head.append("X-Content-Type-Options: nosniff\r\n");
        head.append("X-Frame-Options: DENY\r\n");
        head.append("Referrer-Policy: no-referrer\r\n");
        if (!r.headers().containsKey(CSP)) head.append(CSP).append(": ").append(API_CSP).append("\r\n");
        head.append("X-Request-Id: ").append(requestId).append("\r\n");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            if (h.getKey().equals("Connection")) continue;
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly && r.status() != 204) out.write(r.body());
        out.flush();
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 499 -> "Client Closed Request";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    /**
     * Stops accepting, gives answers being written up to 2 s to reach their clients, then closes
     * every connection (in-flight work must have been drained or answered before).
     */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_WRITE_WAIT_MS);
        while (answering.get() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        connections.shutdown();
        stallWatch.shutdownNow();
        try {
            acceptor.join(2000);
            connections.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
