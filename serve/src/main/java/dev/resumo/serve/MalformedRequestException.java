package dev.resumo.serve;

import java.io.IOException;

/** The bytes on the wire are not an HTTP/1.1 request this server understands. */
final class MalformedRequestException extends IOException {
    private final int status;

    MalformedRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
