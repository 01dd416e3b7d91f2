package dev.resumo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** API tokens from --token-file (one per line, # comments) and RESUMO_API_TOKENS (comma-separated). */
final class ApiTokens {
    private ApiTokens() {}

    static List<String> read(String tokenFile, String environment) {
        List<String> tokens = new ArrayList<>();
        if (tokenFile != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(tokenFile));
            } catch (IOException e) {
                throw new UserError("--token-file " + tokenFile + ": cannot read (" + e.getMessage() + ")");
            }
            for (String l : lines) {
                String t = l.strip();
                if (!t.isEmpty() && !t.startsWith("#")) tokens.add(t);
            }
            if (tokens.isEmpty()) throw new UserError("--token-file " + tokenFile + ": holds no token");
        }
        if (environment != null) {
            for (String t : environment.split(",")) {
                if (!t.isBlank()) tokens.add(t.strip());
            }
        }
        return tokens;
    }
}
