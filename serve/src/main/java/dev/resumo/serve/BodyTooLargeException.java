package dev.resumo.serve;

import java.io.IOException;

/** The request body passed the configured limit while it was being read. */
final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long limit) {
        super("request body is larger than " + limit + " bytes (--max-body-bytes)");
    }
}
