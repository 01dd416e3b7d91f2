package dev.resumo.t5;

import com.fasterxml.jackson.core.JacksonException;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors in words a user can act on: its messages name the source as
 * "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1,
 * column: 1]" and can run over several lines; the file is already named by the caller.
 */
public final class JsonErrors {
    private static final Pattern SOURCE = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]", Pattern.DOTALL);

    private JsonErrors() {}

    /** The parser's reason on one line, a source location said as "line L, column C". */
    public static String reason(JacksonException e) {
        String message = e.getOriginalMessage();
        if (message == null || message.isBlank()) return e.getClass().getSimpleName();
        return SOURCE.matcher(message).replaceAll("line $1, column $2").replaceAll("\\s+", " ").strip();
    }
}
