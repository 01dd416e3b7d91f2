package dev.resumo.serve;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A complete response: status, content type, extra headers and body (always sent with Content-Length). */
public record HttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status, "application/json; charset=utf-8", Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse text(int status, String contentType, String text) {
        return new HttpResponse(status, contentType, Map.of(), text.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpResponse(status, contentType, Map.copyOf(h), body);
    }
}
