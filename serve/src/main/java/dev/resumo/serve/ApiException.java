package dev.resumo.serve;

/** A request the API refuses, with the status, the field at fault and a message for the user. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String field;
    private final int retryAfterSeconds;

    public ApiException(int status, String field, String message) {
        this(status, field, message, 0);
    }

    public ApiException(int status, String field, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
