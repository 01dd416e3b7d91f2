package dev.resumo.serve;

/** Turns one request into one response; never throws for a client mistake (answers 4xx instead). */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request, ClientLink client) throws Exception;

    /**
     * The server answered a request itself, before it could reach {@link #handle}: 413 for a body
     * past the limit, 408 for one that arrived too slowly, 400/431/501 for a malformed one. Told
     * so that a handler keeping counts counts every answer a client got, not only those it made.
     * {@code path} is null when the request line never arrived whole.
     */
    default void answeredEarly(String path, int status) {
    }
}
