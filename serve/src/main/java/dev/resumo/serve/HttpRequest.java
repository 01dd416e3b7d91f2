package dev.resumo.serve;

import java.util.Map;

/**
 * One parsed HTTP/1.1 request with its whole body.
 *
 * @param headers lower-cased names; repeated headers joined with ", "
 * @param requestId sent back as X-Request-Id and named in log lines about this request
 */
public record HttpRequest(String method, String path, String query, Map<String, String> headers, byte[] body, String requestId) {
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
