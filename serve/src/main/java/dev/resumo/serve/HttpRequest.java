package dev.resumo.serve;

import java.util.Map;

/**
 * One parsed HTTP/1.1 request with its whole body.
 *
 * @param headers lower-cased names; repeated headers joined with ", "
 */
public record HttpRequest(String method, String path, String query, Map<String, String> headers, byte[] body) {
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
