package dev.resumo.train.track.mlflow;

/**
 * A call to the tracking server that did not succeed. Transient failures (unreachable, timed out,
 * 5xx, 429) are retried; the others (a 4xx: bad request, no permission) would fail the same way again.
 */
final class MlflowCallException extends Exception {
    private final boolean transientFailure;

    MlflowCallException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    boolean isTransient() {
        return transientFailure;
    }

    static boolean transientStatus(int status) {
        return status >= 500 || status == 429 || status == 408;
    }
}
