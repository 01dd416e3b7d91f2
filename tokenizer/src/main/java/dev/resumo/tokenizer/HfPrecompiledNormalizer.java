package dev.resumo.tokenizer;

import java.text.BreakIterator;

/**
 * Hugging Face's {@code Precompiled} normalizer (the Rust {@code spm_precompiled} crate), which
 * applies the same charsmap as SentencePiece but differently: grapheme by grapheme, a grapheme
 * shorter than 6 bytes is replaced by the SHORTEST rule matching its start (so "º̧" becomes "o" and
 * the combining mark is lost), otherwise each character on its own. No whitespace handling here.
 */
final class HfPrecompiledNormalizer {
    private final CharsMap charsMap; // null: identity

    /** ASCII characters that no rule starts with: copied as they are when they stand alone. */
    private final boolean[] asciiIdentity = new boolean[128];

    HfPrecompiledNormalizer(CharsMap charsMap) {
        this.charsMap = charsMap;
        for (int c = 0; c < 128; c++) asciiIdentity[c] = charsMap == null || !charsMap.hasRuleStartingWith(c);
    }

    /** Appends the normalized UTF-8 of {@code text[from..to)} to {@code out}. */
    void normalize(char[] text, int from, int to, ByteSink out, ByteSink scratch) {
        if (charsMap == null) {
            Utf8.encode(text, from, to, out);
            return;
        }
        BreakIterator graphemes = null;
        int i = from;
        while (i < to) {
            char c = text[i];
            int end;
            if (i + 1 == to ? !Character.isSurrogate(c) : standsAlone(c, text[i + 1])) {
                if (c < 0x80 && asciiIdentity[c]) {
                    out.append((byte) c);
                    i++;
                    continue;
                }
                end = i + 1;
            } else {
                if (graphemes == null) {
                    graphemes = BreakIterator.getCharacterInstance();
                    graphemes.setText(new String(text, from, to - from));
                }
                end = from + graphemes.following(i - from);
            }
            appendGrapheme(text, i, end, out, scratch);
            i = end;
        }
    }

    /**
     * True when {@code c} followed by {@code next} is certainly a grapheme boundary (UAX #29), so the
     * common case needs no BreakIterator: c is no CR, surrogate, Hangul or Prepend character and next
     * is no mark, format character (ZWJ), surrogate (emoji modifier) or Hangul jamo.
     */
    private static boolean standsAlone(char c, char next) {
        if (c < 0x80 && next < 0x80) return !(c == '\r' && next == '\n');
        if (Character.isSurrogate(c) || Character.isSurrogate(next) || isHangul(c) || isHangul(next)) return false;
        int type = Character.getType(c);
        if (type == Character.FORMAT || c == 0x0D4E) return false; // Prepend characters are Cf (and U+0D4E)
        int nextType = Character.getType(next);
        return nextType != Character.NON_SPACING_MARK && nextType != Character.ENCLOSING_MARK
                && nextType != Character.COMBINING_SPACING_MARK && nextType != Character.FORMAT
                && next != 0xFF9E && next != 0xFF9F // halfwidth sound marks are Lm but extend
                && !(c == '\r' && next == '\n');
    }

    private static boolean isHangul(char c) {
        return (c >= 0x1100 && c <= 0x11FF) || (c >= 0xA960 && c <= 0xA97F) || (c >= 0xAC00 && c <= 0xD7FF);
    }

    private void appendGrapheme(char[] text, int start, int end, ByteSink out, ByteSink scratch) {
        scratch.reset();
        Utf8.encode(text, start, end, scratch);
        if (scratch.length < 6) {
            int hit = charsMap.firstMatch(scratch.bytes, 0, scratch.length);
            if (hit >= 0) {
                out.append(charsMap.replacements(), hit, charsMap.replacementEnd(hit));
                return;
            }
        }
        int pos = 0;
        while (pos < scratch.length) {
            int len = Math.min(Utf8.charLength(scratch.bytes[pos]), scratch.length - pos);
            int hit = charsMap.firstMatch(scratch.bytes, pos, pos + len);
            if (hit >= 0) out.append(charsMap.replacements(), hit, charsMap.replacementEnd(hit));
            else out.append(scratch.bytes, pos, pos + len);
            pos += len;
        }
    }
}
