package dev.resumo.engine.backend;

/**
 * A device could not hold a buffer: larger than the largest single allocation it allows, or its
 * memory is used up. The message is one line naming the device, the size asked for and the
 * limit, for the user (a smaller batch or sequence length, or another device, is the remedy).
 */
public final class DeviceMemoryException extends RuntimeException {
    public DeviceMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
