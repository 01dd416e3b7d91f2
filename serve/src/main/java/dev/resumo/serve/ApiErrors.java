package dev.resumo.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON shape of every error: {"error": {"status", "field", "message"}}. */
final class ApiErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiErrors() {}

    static HttpResponse response(int status, String field, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("status", status);
        error.put("field", field);
        error.put("message", message);
        return HttpResponse.json(status, root.toString());
    }

    /** At most 60 characters of a client's text (a query, a request target), for an error message. */
    static String abbreviated(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    static HttpResponse response(ApiException e) {
        HttpResponse r = response(e.status(), e.field(), e.getMessage());
        return e.retryAfterSeconds() > 0 ? r.withHeader("Retry-After", Integer.toString(e.retryAfterSeconds())) : r;
    }
}
