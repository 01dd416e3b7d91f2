package dev.resumo.train.rouge;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pt} tokenization: XL-Sum's multilingual ROUGE tokenizer for a language without a
 * word segmenter (Portuguese), so accented letters survive ("não", "é").
 *
 * <ol>
 *   <li>lowercase, as Python's {@code str.lower()} ({@link Lowercase});</li>
 *   <li>drop U+0000, U+FFFD and control/format characters (Unicode category C*, except tab,
 *       CR and LF, which count as spaces) — XL-Sum's BERT-style {@code BasicTokenizer._clean_text};</li>
 *   <li>split on whitespace and on punctuation, which is dropped: ASCII non-alphanumerics and
 *       every Unicode P* character ({@code _run_split_on_punc});</li>
 *   <li>split what is left where the character kind changes, as the OpenNMT "aggressive"
 *       pretokenizer XL-Sum applies next: a run of letters, a run of numbers (Unicode N*), and
 *       every other character (symbols such as € or °) on its own; combining marks stay with
 *       the character before them;</li>
 *   <li>with a stemmer, stem tokens longer than 3 characters (code points).</li>
 * </ol>
 * weights-tools/make_rouge_reference.py implements the same rules in Python and checks them
 * against XL-Sum's own pipeline (BasicTokenizer + pyonmttok) on the reference texts.
 */
public final class PortugueseTokenizer implements RougeTokenizer {
    private enum Kind { SPACE, LETTER, NUMBER, OTHER, MARK }

    private final Stemmer stemmer;

    /** @param stemmer applied to tokens longer than 3 code points, or null for none */
    public PortugueseTokenizer(Stemmer stemmer) {
        this.stemmer = stemmer;
    }

    @Override
    public List<String> tokenize(String text) {
        String lower = Lowercase.of(text);
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        Kind currentKind = Kind.SPACE;
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (isDropped(cp)) continue;
            Kind kind = kindOf(cp);
            if (kind == Kind.MARK && currentKind != Kind.SPACE) {
                current.appendCodePoint(cp); // a combining mark belongs to the character before it
                continue;
            }
            if (kind != currentKind || kind == Kind.OTHER || kind == Kind.MARK) {
                flush(current, tokens);
            }
            if (kind != Kind.SPACE) current.appendCodePoint(cp);
            currentKind = kind == Kind.MARK ? Kind.OTHER : kind;
        }
        flush(current, tokens);
        return tokens;
    }

    private void flush(StringBuilder current, List<String> tokens) {
        if (current.isEmpty()) return;
        String token = current.toString();
        current.setLength(0);
        if (stemmer != null && token.codePointCount(0, token.length()) > 3) token = stemmer.stem(token);
        if (!token.isEmpty()) tokens.add(token);
    }

    /** Characters BasicTokenizer._clean_text removes outright. */
    private static boolean isDropped(int cp) {
        if (cp == 0 || cp == 0xFFFD) return true;
        if (cp == '\t' || cp == '\n' || cp == '\r') return false;
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    private static Kind kindOf(int cp) {
        if (isSpace(cp) || isPunctuation(cp)) return Kind.SPACE;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> Kind.LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> Kind.NUMBER;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> Kind.MARK;
            default -> Kind.OTHER;
        };
    }

    /** Python's str.split() whitespace: what BasicTokenizer and whitespace_tokenize split on. */
    private static boolean isSpace(int cp) {
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F) || cp == 0x85
                || Character.getType(cp) == Character.SPACE_SEPARATOR
                || cp == 0x2028 || cp == 0x2029;
    }

    /** BasicTokenizer._is_punctuation: every ASCII non-alphanumeric, and Unicode category P*. */
    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }
}
