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

    /**
     * For every BMP character standing alone as a grapheme: its rule's replacement as
     * {@code offset << 8 | length}, or -1 for none. Precomputed once so that the common case costs
     * one array read instead of a walk through the (large, cache-unfriendly) charsmap trie.
     */
    private final int[] singleCharRule;

    HfPrecompiledNormalizer(CharsMap charsMap) {
        this.charsMap = charsMap;
        for (int c = 0; c < 128; c++) asciiIdentity[c] = charsMap == null || !charsMap.hasRuleStartingWith(c);
        singleCharRule = charsMap == null ? null : singleCharRules(charsMap);
    }

    private static int[] singleCharRules(CharsMap charsMap) {
        int[] rules = new int[65536];
        ByteSink bytes = new ByteSink(4);
        char[] one = new char[1];
        for (int c = 0; c < rules.length; c++) {
            rules[c] = -1;
            if (Character.isSurrogate((char) c)) continue;
            one[0] = (char) c;
            bytes.reset();
            Utf8.encode(one, 0, 1, bytes);
            int hit = charsMap.firstMatch(bytes.bytes, 0, bytes.length);
            if (hit >= 0) {
                int length = charsMap.replacementEnd(hit) - hit;
                if (length < 256 && hit < (1 << 23)) rules[c] = hit << 8 | length;
                else rules[c] = -2; // too long to pack: take the slow path
            }
        }
        return rules;
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
                int rule = singleCharRule[c];
                if (rule != -2) {
                    if (rule == -1) Utf8.encode(text, i, i + 1, out);
                    else out.append(charsMap.replacements(), rule >>> 8, (rule >>> 8) + (rule & 0xFF));
                    i++;
                    continue;
                }
                end = i + 1;
            } else {
                if (graphemes == null) {
                    graphemes = BreakIterator.getCharacterInstance();
                    graphemes.setText(withJdkKnownMarks(text, from, to));
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
                && next != 0x0E33 && next != 0x0EB3 // Thai/Lao SARA AM are Lo but SpacingMark
                && !isUnicode17Mark(next)
                && !(c == '\r' && next == '\n');
    }

    /**
     * Combining marks added in Unicode 17 (U+1ACF..U+1ADD, U+1AE0..U+1AEB, "Combining Diacritical
     * Marks Extended"). The Rust grapheme tables tokenizers uses know them as Extend; JDK 25's are
     * Unicode 16, where they are unassigned and so break. Found by weights-tools/fuzz_tokenizer_parity.py.
     */
    private static boolean isUnicode17Mark(char c) {
        return (c >= 0x1ACF && c <= 0x1ADD) || (c >= 0x1AE0 && c <= 0x1AEB);
    }

    /**
     * The text for the BreakIterator, with each Unicode 17 mark replaced by U+0301 (also Extend, same
     * length) so that the JDK's grapheme rules, GB4 after controls included, treat it as Rust does.
     */
    private static String withJdkKnownMarks(char[] text, int from, int to) {
        char[] copy = java.util.Arrays.copyOfRange(text, from, to);
        for (int k = 0; k < copy.length; k++) {
            if (isUnicode17Mark(copy[k])) copy[k] = '\u0301';
        }
        return new String(copy);
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
