package dev.resumo.train.checkpoint;

/**
 * A checkpoint marked complete whose files cannot be read back (truncated weights, broken JSON, a
 * file missing): damage done after it was written, so a user-facing error naming the file, not a bug.
 */
public final class DamagedCheckpointException extends RuntimeException {
    public DamagedCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
