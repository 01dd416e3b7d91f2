package dev.resumo.serve;

/** Turns one request into one response; never throws for a client mistake (answers 4xx instead). */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request, ClientLink client) throws Exception;
}
