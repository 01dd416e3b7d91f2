package dev.resumo.serve;

import java.util.regex.Pattern;

/**
 * A JSON parser message fit for an API client: Jackson's advice about its own switches ("enable
 * `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow", "(bound as `com.fasterxml...JsonNode`)")
 * names classes of this server's insides and tells the client to turn on something only the
 * server could; what is left says what was wrong with the body.
 */
final class JsonErrorText {
    private static final Pattern[] SERVER_SIDE = {
        Pattern.compile(":?\\s*enable `[^`]*` to allow.*"),
        Pattern.compile(":?\\s*not allowed as per `[^`]*`"),
        Pattern.compile("\\s*\\(bound as `[^`]*`\\)"),
        Pattern.compile(",\\s*from `[^`]*`"),
        Pattern.compile("\\s*\\(not recognized as one since Feature '[^']*' not enabled for parser\\)"),
    };

    private JsonErrorText() {}

    static String clean(String jacksonMessage) {
        String s = jacksonMessage;
        for (Pattern p : SERVER_SIDE) s = p.matcher(s).replaceAll("");
        return s.strip();
    }
}
