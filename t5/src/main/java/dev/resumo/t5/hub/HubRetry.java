package dev.resumo.t5.hub;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * When an answer of the hub is worth asking again for: 429 (rate limited: the hub limits requests
 * per token and per IP, and a fetch makes a dozen) and the 5xx a proxy or the hub sends while it
 * restarts. Each was the end of the run ("HTTP 429 from huggingface.co"), though the same request
 * a few seconds later succeeds. As huggingface_hub's http_backoff: up to 5 tries, waiting what
 * {@code Retry-After} asks, else 1, 2, 4, 8 s.
 */
final class HubRetry {
    static final int MAX_TRIES = 5;
    /**
     * The longest Retry-After waited out: a run that sits silent for longer looks hung; past this the
     * error says how long the hub asked to wait.
     */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);

    private HubRetry() {}

    static boolean retried(int status) {
        return RETRIED.contains(status);
    }

    /**
     * How long to wait before try {@code tries + 1}, or empty when the answer is final (not a
     * retried status, the tries are used up, or the server asks for more than {@link #MAX_WAIT}).
     */
    static Optional<Duration> waitBeforeNextTry(HttpResponse<?> response, int tries) {
        if (!retried(response.statusCode()) || tries >= MAX_TRIES) return Optional.empty();
        Duration wait = retryAfter(response).orElse(Duration.ofSeconds(1L << Math.min(tries - 1, 3)));
        return wait.compareTo(MAX_WAIT) > 0 ? Optional.empty() : Optional.of(wait);
    }

    /** The server's Retry-After: seconds, or an HTTP date (RFC 9110 allows both). */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        String v = response.headers().firstValue("Retry-After").map(String::strip).orElse("");
        if (v.isEmpty()) return Optional.empty();
        if (v.matches("\\d{1,9}")) return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        try {
            Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty(); // an unreadable value: wait as if none was given
        }
    }
}
