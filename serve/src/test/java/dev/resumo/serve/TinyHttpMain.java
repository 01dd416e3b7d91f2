package dev.resumo.serve;

import java.time.Duration;

/**
 * {@code TinyHttpMain READ_LIMIT_MS}: an {@link HttpServerCore} on a free loopback port that answers
 * every request 200 "ok"; prints "port N" and serves until killed. For tests that need the server
 * in a process of its own (one with few file descriptors).
 */
public final class TinyHttpMain {
    private TinyHttpMain() {}

    public static void main(String[] args) throws Exception {
        HttpServerCore core = new HttpServerCore("127.0.0.1", 0, 1 << 20, Duration.ofMillis(Long.parseLong(args[0])),
                (request, client) -> HttpResponse.text(200, "text/plain", "ok"));
        System.out.println("port " + core.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
