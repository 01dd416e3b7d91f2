package dev.resumo.engine.opencl;

/** No usable OpenCL: the library (ICD loader) is missing, no platform, or no such device. */
public final class OpenClUnavailableException extends RuntimeException {
    public OpenClUnavailableException(String message) {
        super(message);
    }

    public OpenClUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
