package dev.resumo.engine;

/**
 * A tensor would hold more than 2^31-1 elements, the most one tensor (an int-indexed float array or
 * device buffer) can. Reached by a job too large for the engine rather than by a bug: the encoder's
 * attention scores of 16 texts of 8192 tokens over 4 heads are [16, 4, 8192, 8192], 4.3·10⁹ floats.
 * `resumo` commands print the message as one line and the server answers 503 with it, as for a
 * device out of memory; before, both showed an internal error with a stack trace.
 */
public final class TensorTooLargeException extends IllegalArgumentException {
    public TensorTooLargeException(String message) {
        super(message);
    }
}
