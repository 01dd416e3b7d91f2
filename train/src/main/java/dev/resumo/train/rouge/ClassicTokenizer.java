package dev.resumo.train.rouge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * rouge_score's default tokenizer ({@code tokenize.tokenize}): lowercase, every run of characters
 * outside {@code [a-z0-9]} becomes a split point, tokens longer than 3 characters are stemmed when a
 * stemmer is given. It exists only to compare with numbers published that way: it turns "não" into
 * "n", "o" and drops "é" entirely, so it is wrong for Portuguese.
 */
public final class ClassicTokenizer implements RougeTokenizer {
    private final Stemmer stemmer;

    /** @param stemmer applied to tokens longer than 3 characters, or null for none */
    public ClassicTokenizer(Stemmer stemmer) {
        this.stemmer = stemmer;
    }

    @Override
    public List<String> tokenize(String text) {
        // Python's str.lower and Java's root-locale lowercasing agree on every character that
        // lowercases into [a-z] (A-Z, U+212A KELVIN SIGN, U+0130 -> "i" + combining dot).
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            boolean keep = i < lower.length() && isAsciiAlnum(lower.charAt(i));
            if (keep && start < 0) {
                start = i;
            } else if (!keep && start >= 0) {
                tokens.add(stemmed(lower.substring(start, i)));
                start = -1;
            }
        }
        return tokens;
    }

    private String stemmed(String token) {
        return stemmer != null && token.length() > 3 ? stemmer.stem(token) : token;
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
