package dev.resumo.engine.io;

/**
 * A weights file that is malformed, truncated, or asks for something this reader refuses (an
 * unknown dtype, a pickle global outside the allow-list). The message names the file and, where
 * there is one, the tensor.
 */
public final class CheckpointFormatException extends RuntimeException {
    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
