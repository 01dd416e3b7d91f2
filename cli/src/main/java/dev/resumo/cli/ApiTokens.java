package dev.resumo.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** API tokens from --token-file (one per line, # comments) and RESUMO_API_TOKENS (comma-separated). */
final class ApiTokens {
    private ApiTokens() {}

    static List<String> read(String tokenFile, String environment) {
        List<String> tokens = new ArrayList<>();
        if (tokenFile != null) {
            List<String> lines = lines(tokenFile);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                // Editors that save "UTF-8 with BOM" put U+FEFF first; kept, it would make the first token unusable.
                if (i == 0 && l.startsWith("\uFEFF")) l = l.substring(1);
                String t = l.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                if (!sendable(t)) {
                    // The token itself is never echoed: only where it is.
                    throw new UserError("--token-file " + tokenFile + ":" + (i + 1)
                            + ": the token has characters other than printable ASCII, which an Authorization header cannot carry");
                }
                tokens.add(t);
            }
            if (tokens.isEmpty()) throw new UserError("--token-file " + tokenFile + ": holds no token");
        }
        if (environment != null) {
            int before = tokens.size();
            for (String t : environment.split(",")) {
                if (t.isBlank()) continue;
                if (!sendable(t.strip())) {
                    throw new UserError("RESUMO_API_TOKENS: a token has characters other than printable ASCII, which an "
                            + "Authorization header cannot carry");
                }
                tokens.add(t.strip());
            }
            // Set but empty (an unset variable interpolated by a compose file, say) means someone meant auth on:
            // serving open would fail the wrong way. Unset, it means no tokens from there.
            if (tokens.size() == before && tokens.isEmpty()) {
                throw new UserError("RESUMO_API_TOKENS is set but holds no token; list tokens separated by commas, "
                        + "or unset it to serve without auth");
            }
        }
        return tokens;
    }

    private static List<String> lines(String tokenFile) {
        Path path = Path.of(tokenFile);
        if (Files.isDirectory(path)) throw new UserError("--token-file " + tokenFile + ": is a directory; give the file of tokens");
        try {
            return Files.readAllLines(path);
        } catch (NoSuchFileException e) {
            throw new UserError("--token-file " + tokenFile + ": no such file");
        } catch (CharacterCodingException e) {
            throw new UserError("--token-file " + tokenFile + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UserError("--token-file " + tokenFile + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Visible ASCII and spaces: what an HTTP header value carries unchanged. */
    private static boolean sendable(String token) {
        return token.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
    }
}
