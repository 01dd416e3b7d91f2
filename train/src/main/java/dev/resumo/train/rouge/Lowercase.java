package dev.resumo.train.rouge;

import java.util.Locale;

/**
 * Lowercasing as Python's {@code str.lower()}, which the pt reference tokenizer applies to the whole
 * text: the JDK's root-locale full mapping, except for capital sigma. Unicode's Final_Sigma rule
 * (Unicode 3.13, Table 3-17, which Python follows) makes Σ a final ς when a cased letter comes
 * before it and none after it, skipping case-ignorable characters on both sides. The JDK decides
 * with word boundaries instead, so "ΑΣ-Β" became "ασ-β" where Python has "ας-β" (and "ΑΣ:Β" the
 * other way round): the same Greek word got two tokens depending on what follows a hyphen, dash,
 * underscore or quote.
 */
final class Lowercase {
    private static final char CAPITAL_SIGMA = 'Σ';
    /** Word_Break MidLetter, MidNumLet and Single_Quote: case-ignorable though punctuation. */
    private static final String MID_WORD = "'.:\u00B7\u0387\u055F\u05F4\u2018\u2019\u2024\u2027\uFE13\uFE52\uFE55\uFF07\uFF0E\uFF1A";

    private Lowercase() {}

    static String of(String text) {
        int sigma = text.indexOf(CAPITAL_SIGMA);
        if (sigma < 0) return text.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        for (; sigma >= 0; sigma = text.indexOf(CAPITAL_SIGMA, from)) {
            // no Σ inside a segment, so the JDK's mapping of it depends on no context
            out.append(text.substring(from, sigma).toLowerCase(Locale.ROOT));
            out.append(isFinal(text, sigma) ? 'ς' : 'σ');
            from = sigma + 1;
        }
        return out.append(text.substring(from).toLowerCase(Locale.ROOT)).toString();
    }

    private static boolean isFinal(String text, int sigma) {
        int i = sigma;
        int before = -1;
        while (i > 0) {
            int cp = text.codePointBefore(i);
            i -= Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                before = cp;
                break;
            }
        }
        if (before < 0 || !isCased(before)) return false;
        for (int j = sigma + 1; j < text.length(); ) {
            int cp = text.codePointAt(j);
            j += Character.charCount(cp);
            if (!isCaseIgnorable(cp)) return !isCased(cp);
        }
        return true;
    }

    /** Unicode's Cased: Lu, Ll, Lt and Other_Lowercase/Other_Uppercase (ª, º, Ⅰ, Ⓐ, ...), which the JDK counts in. */
    private static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    /** Unicode's Case_Ignorable: Mn, Me, Cf, Lm, Sk and the mid-word punctuation of Word_Break. */
    private static boolean isCaseIgnorable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT, Character.MODIFIER_LETTER,
                 Character.MODIFIER_SYMBOL -> true;
            default -> cp < 0x10000 && MID_WORD.indexOf(cp) >= 0;
        };
    }
}
