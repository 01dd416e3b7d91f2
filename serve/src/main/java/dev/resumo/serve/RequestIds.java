package dev.resumo.serve;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id that ties one request's answer (X-Request-Id header) to the server's log lines. A
 * client's own X-Request-Id is kept when it is a plain token (so a proxy's or caller's id carries
 * through); anything else (too long, spaces, control characters) is replaced, never echoed into
 * the log or a header.
 */
final class RequestIds {
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~:/+=-]{1,128}");

    private RequestIds() {}

    static String of(String clientId) {
        if (clientId != null && CLIENT_ID.matcher(clientId).matches()) return clientId;
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }
}
