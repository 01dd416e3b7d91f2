package dev.resumo.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 requests off a connection: request line, headers, and a body given by
 * Content-Length or chunked transfer coding. The body limit is enforced while reading, so a
 * chunked body that never ends is cut off at the limit instead of filling the memory.
 */
final class RequestReader {
    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 100;

    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("[0-9]+");
    private static final java.util.regex.Pattern HEX_DIGITS = java.util.regex.Pattern.compile("[0-9A-Fa-f]+");
    /** The first byte of a TLS record carrying a handshake (a client's hello). */
    private static final int TLS_HANDSHAKE = 0x16;

    private final InputStream in;
    private final long maxBodyBytes;

    RequestReader(InputStream in, long maxBodyBytes) {
        this.in = in;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Headers that hold one value, not a list (RFC 9110 §5.3): sent twice, the request is refused. */
    private static final java.util.Set<String> SINGLE = java.util.Set.of("authorization", "host");

    /** The request line and headers, or null when the client closed the connection between requests. */
    Head readHead() throws IOException {
        String requestLine = readLine(true);
        while (requestLine != null && requestLine.isEmpty()) requestLine = readLine(true); // stray CRLF between requests
        if (requestLine == null) return null;
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new MalformedRequestException(400, "bad request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int n = 0; ; n++) {
            String line = readLine(false);
            if (line.isEmpty()) break;
            if (n >= MAX_HEADERS) throw new MalformedRequestException(431, "more than " + MAX_HEADERS + " headers");
            int colon = line.indexOf(':');
            if (colon <= 0) throw new MalformedRequestException(400, "bad header line");
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            // "Transfer-Encoding : chunked" or a folded line: a proxy in front may not read these as
            // the header we would, and the two would then disagree on where the body ends (RFC 9112 §5.1, §5.2).
            if (name.chars().anyMatch(c -> c <= ' ' || c == 0x7F)) {
                throw new MalformedRequestException(400, "bad header line: whitespace in or before a header name");
            }
            String value = line.substring(colon + 1).trim();
            if (SINGLE.contains(name) && headers.containsKey(name)) {
                // Joined with ", " like a list header, two tokens became one that matched neither, and
                // the client was told its token was wrong; which one a proxy forwards is anyone's guess.
                throw new MalformedRequestException(400, "more than one " + line.substring(0, colon) + " header; send one");
            }
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400. Clients (browsers, curl, Java's
        // HttpClient, requests) always send it; a request without one comes from a hand-made or broken
        // client, and a proxy in front would refuse it too. HTTP/1.0 had no Host header.
        if (!parts[2].equals("HTTP/1.0") && !headers.containsKey("host")) {
            throw new MalformedRequestException(400, "no Host header; send one (RFC 9112 §3.2 requires it)");
        }
        String target = originForm(parts[1]);
        // RFC 9112 §3.2: a path from "/", or "*" for a server-wide OPTIONS. "GET foo" and an empty
        // target (two spaces) were looked up as paths and answered 404, as if they were well formed.
        if (target.equals("*") ? !parts[0].equals("OPTIONS") : !target.startsWith("/")) {
            throw new MalformedRequestException(400, "bad request target '" + ApiErrors.abbreviated(parts[1]) + "'"
                    + (target.equals("*") ? ": '*' is for OPTIONS only" : ": send a path starting with /"));
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        return new Head(parts[0], path, query, parts[2], headers);
    }

    /** The path and query of a request target; the absolute form (http://host/path) that proxies send is accepted too (RFC 9112 §3.2.2). */
    private static String originForm(String target) {
        String lower = target.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) return target;
        int slash = target.indexOf('/', target.indexOf("//") + 2);
        int q = target.indexOf('?', target.indexOf("//") + 2);
        if (slash < 0 || (q >= 0 && q < slash)) return "/" + (q < 0 ? "" : target.substring(q));
        return target.substring(slash);
    }

    /**
     * Refuses a connection that opens with a TLS handshake (an https:// URL for this plain-HTTP
     * port): a hello holds no line end, so it waited the whole 60 s read limit for a 408 the
     * client could not read. The 400 goes back at once; a TLS client reports it as a wrong
     * version number, curl with http:// shows this message.
     */
    static void refuseTls(int firstByte) throws MalformedRequestException {
        if (firstByte == TLS_HANDSHAKE) {
            throw new MalformedRequestException(400, "this server speaks plain HTTP, not TLS: use http://, not https://");
        }
    }

    /** Reads the body the head announces; {@link BodyTooLargeException} as soon as it passes the limit. */
    byte[] readBody(Head head, OutputStream continueChannel) throws IOException {
        String te = head.headers().get("transfer-encoding");
        String cl = head.headers().get("content-length");
        if (te != null) {
            // Only chunked alone: "gzip, chunked" had its gzip bytes parsed as JSON, and "notchunked"
            // passed as chunked.
            if (!te.strip().equalsIgnoreCase("chunked")) {
                throw new MalformedRequestException(501, "transfer-encoding " + te
                        + " is not supported; send the body as it is, with Content-Length or Transfer-Encoding: chunked");
            }
            // Both framings at once is how request smuggling starts: refused, and the connection closed (RFC 9112 §6.1).
            if (cl != null) {
                throw new MalformedRequestException(400, "both Transfer-Encoding and Content-Length; send one of them");
            }
            sendContinue(head, continueChannel);
            return readChunked();
        }
        if (cl == null) {
            // Without a length a request has no body (RFC 9112 §6.3): an HTTP/1.0 client that sent
            // one anyway had it read as the next request and was told its JSON was missing. A POST
            // is always meant to carry one, so it is told what is missing instead (RFC 9110 §15.5.12).
            if (head.method().equals("POST")) {
                throw new MalformedRequestException(411, "a POST needs a Content-Length header (or chunked transfer coding)");
            }
            return new byte[0];
        }
        // Digits only (RFC 9110 §8.6): Long.parseLong also took "+68", which a proxy may read otherwise.
        if (!DIGITS.matcher(cl).matches()) throw new MalformedRequestException(400, "bad Content-Length");
        long length;
        try {
            length = Long.parseLong(cl);
        } catch (NumberFormatException e) {
            throw new MalformedRequestException(400, "bad Content-Length");
        }
        if (length > maxBodyBytes) throw new BodyTooLargeException(maxBodyBytes);
        sendContinue(head, continueChannel);
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) throw new java.io.EOFException("body cut short");
        return body;
    }

    private void sendContinue(Head head, OutputStream out) throws IOException {
        String expect = head.headers().get("expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(false);
            int semi = sizeLine.indexOf(';');
            String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
            if (!HEX_DIGITS.matcher(hex).matches()) throw new MalformedRequestException(400, "bad chunk size");
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new MalformedRequestException(400, "bad chunk size");
            }
            if (size == 0) break;
            if (body.size() + size > maxBodyBytes) throw new BodyTooLargeException(maxBodyBytes);
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length != size) throw new java.io.EOFException("chunk cut short");
            body.write(chunk);
            if (!readLine(false).isEmpty()) throw new MalformedRequestException(400, "chunk not followed by CRLF");
        }
        while (!readLine(false).isEmpty()) {
            // trailers are read and ignored
        }
        return body.toByteArray();
    }

    /** One line without its CRLF (a bare LF is accepted); null at end of stream when {@code eofOk}. */
    private String readLine(boolean eofOk) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofOk && sb.isEmpty()) return null;
                throw new java.io.EOFException("connection closed mid-request");
            }
            if (b == '\n') break;
            if (sb.length() >= MAX_LINE) throw new MalformedRequestException(431, "header line longer than " + MAX_LINE);
            sb.append((char) b);
        }
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
        return sb.toString();
    }

    /** A request line and its headers (names lower-cased). */
    record Head(String method, String path, String query, String version, Map<String, String> headers) {
        boolean keepAlive() {
            String c = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            if (version.equals("HTTP/1.0")) return c.contains("keep-alive");
            return !c.contains("close");
        }
    }
}
