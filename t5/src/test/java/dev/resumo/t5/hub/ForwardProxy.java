package dev.resumo.t5.hub;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain-http forward proxy on 127.0.0.1 for tests, on raw sockets (so that it builds no Java
 * HttpClient of its own, which would fix the JDK's proxy settings before the code under test).
 * It takes requests in absolute form ("GET http://host/path"), as a client configured with a proxy
 * sends them, forwards them with the Proxy-* headers removed (as Squid does) and copies the answer
 * back; and CONNECT host:port, which it answers 200 and then tunnels. With {@link #requireBasic} it
 * answers 407 to a request without those credentials. It records every URL and CONNECT target it was
 * asked for and every Proxy-Authorization it received (null for a request without one).
 */
final class ForwardProxy implements AutoCloseable {
    final List<URI> asked = new CopyOnWriteArrayList<>();
    final List<String> connects = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private volatile String requiredAuthorization;

    ForwardProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** From now on, answer 407 unless the request carries Basic credentials for this user and password. */
    void requireBasic(String user, String password) {
        requiredAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.ISO_8859_1));
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            // One request per connection: every answer closes it, so the client opens a new one.
            List<String> head = readHead(in);
            if (head.isEmpty()) return;
            String[] line = head.getFirst().split(" ");
            String method = line[0], target = line[1];
            String authorization = header(head, "Proxy-Authorization");
            authorizations.add(String.valueOf(authorization));
            if (method.equals("CONNECT")) {
                connects.add(target);
            } else {
                asked.add(URI.create(target));
            }
            String required = requiredAuthorization;
            if (required != null && !required.equals(authorization)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            if (method.equals("CONNECT")) {
                tunnel(client, target);
            } else {
                forward(head, method, URI.create(target), out);
            }
        } catch (IOException | RuntimeException e) {
            // the client or the target went away: nothing to report in a test proxy
        }
    }

    private static void tunnel(Socket client, String target) throws IOException {
        int colon = target.lastIndexOf(':');
        try (Socket upstream = new Socket(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)))) {
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().flush();
            Thread back = Thread.ofVirtual().start(() -> copy(upstream, client));
            copy(client, upstream);
            try {
                back.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException ignored) {
            // one side closed
        }
    }

    private static void forward(List<String> head, String method, URI target, OutputStream out) throws IOException {
        if (target.getHost() == null) { // origin form: not a proxy request
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        int port = target.getPort() < 0 ? 80 : target.getPort();
        try (Socket upstream = new Socket(target.getHost(), port)) {
            StringBuilder request = new StringBuilder(method + " " + target.getRawPath()
                    + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()) + " HTTP/1.1\r\n");
            for (String h : head.subList(1, head.size())) {
                String name = h.substring(0, h.indexOf(':')).strip().toLowerCase(Locale.ROOT);
                if (name.startsWith("proxy-") || name.equals("connection")) continue;
                request.append(h).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            upstream.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            upstream.getOutputStream().flush();
            InputStream answer = upstream.getInputStream();
            List<String> responseHead = readHead(answer);
            StringBuilder response = new StringBuilder(responseHead.getFirst() + "\r\n");
            for (String h : responseHead.subList(1, responseHead.size())) {
                if (!h.toLowerCase(Locale.ROOT).startsWith("connection:")) response.append(h).append("\r\n");
            }
            response.append("Connection: close\r\n\r\n");
            out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
            answer.transferTo(out);
            out.flush();
        }
    }

    /** The request or status line and the header lines, up to the empty line; empty at end of stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
                if (text.isEmpty()) return lines;
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return lines;
    }

    private static String header(List<String> head, String name) {
        for (String h : head.subList(1, head.size())) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).strip().equalsIgnoreCase(name)) return h.substring(colon + 1).strip();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
