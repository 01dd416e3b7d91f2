package dev.resumo.serve;

import java.util.Locale;

/**
 * Checks the Content-Type of a /v1 body: application/json, in UTF-8. JSON between systems is UTF-8
 * (RFC 8259 §8.1); a body declared in another charset would be read as UTF-8 anyway and come out
 * garbled or as a misleading "invalid UTF-8" error, so it is refused with the charset named.
 */
final class JsonContentType {
    private JsonContentType() {}

    /** Null when the header announces UTF-8 JSON (no charset, or utf-8); otherwise what is wrong, for a 415. */
    static String problem(String contentType) {
        if (contentType == null) return "send the request body as application/json (Content-Type: application/json), got no Content-Type";
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return "send the request body as application/json (Content-Type: application/json), got '" + contentType + "'";
        }
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0 || !parts[i].substring(0, eq).strip().equalsIgnoreCase("charset")) continue;
            String charset = unquote(parts[i].substring(eq + 1).strip()).toLowerCase(Locale.ROOT);
            if (!charset.equals("utf-8") && !charset.equals("utf8") && !charset.equals("us-ascii")) {
                return "the body must be UTF-8 JSON (RFC 8259), got charset=" + charset
                        + "; encode it as UTF-8 and send Content-Type: application/json";
            }
        }
        return null;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
