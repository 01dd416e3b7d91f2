package dev.resumo.tokenizer;

/**
 * Encodes one stretch of text between added tokens the way Hugging Face's T5 tokenizer does:
 * {@link HfPrecompiledNormalizer}, then {@code WhitespaceSplit} (Unicode White_Space, as Rust's
 * {@code char::is_whitespace}), then {@code Metaspace} (a {@code ▁} before every word, and a split
 * before every {@code ▁} inside one), then {@link HfUnigramSegmenter} on each part.
 */
final class HfSegmentEncoder {
    private static final byte[] SPACE_SYMBOL = {(byte) 0xE2, (byte) 0x96, (byte) 0x81}; // ▁

    /** When Metaspace puts a ▁ in front of a word. */
    enum Prepend { ALWAYS, FIRST, NEVER }

    private final HfPrecompiledNormalizer normalizer;
    private final HfUnigramSegmenter segmenter;
    private final Prepend prepend;

    HfSegmentEncoder(HfPrecompiledNormalizer normalizer, HfUnigramSegmenter segmenter, Prepend prepend) {
        this.normalizer = normalizer;
        this.segmenter = segmenter;
        this.prepend = prepend;
    }

    /** Appends the ids of {@code text[from..to)} to {@code out}. */
    void encode(String text, int from, int to, HfWorkspace w, IntList out) {
        ByteSink norm = w.normalized;
        norm.reset();
        normalizer.normalize(w.chars(text, from, to), 0, to - from, norm, w.grapheme);
        byte[] b = norm.bytes;
        int n = norm.length;
        int pos = 0;
        boolean firstWord = true;
        while (pos < n) {
            int len = whitespaceLength(b, pos, n);
            if (len > 0) {
                pos += len;
                continue;
            }
            int wordEnd = pos;
            while (wordEnd < n && whitespaceLength(b, wordEnd, n) == 0) wordEnd += Math.min(Utf8.charLength(b[wordEnd]), n - wordEnd);
            boolean addPrefix = prepend == Prepend.ALWAYS || (prepend == Prepend.FIRST && firstWord && from == 0);
            encodeWord(b, pos, wordEnd, addPrefix, w, out);
            firstWord = false;
            pos = wordEnd;
        }
    }

    /** Metaspace on one word: maybe a ▁ in front, then a part per ▁ (each ▁ starts a new part). */
    private void encodeWord(byte[] b, int from, int to, boolean addPrefix, HfWorkspace w, IntList out) {
        ByteSink word = w.word;
        word.reset();
        if (addPrefix && !isSpaceSymbol(b, from, to)) word.append(SPACE_SYMBOL, 0, 3);
        for (int i = from; i < to; ) {
            if (isSpaceSymbol(b, i, to) && word.length > 0) {
                segmenter.encode(word.bytes, word.length, w, out);
                word.reset();
            }
            int len = Math.min(Utf8.charLength(b[i]), to - i);
            word.append(b, i, i + len);
            i += len;
        }
        if (word.length > 0) segmenter.encode(word.bytes, word.length, w, out);
    }

    private static boolean isSpaceSymbol(byte[] b, int i, int end) {
        return i + 3 <= end && b[i] == SPACE_SYMBOL[0] && b[i + 1] == SPACE_SYMBOL[1] && b[i + 2] == SPACE_SYMBOL[2];
    }

    /** Byte length of the White_Space character at {@code b[pos]}, or 0 when it is not one. */
    static int whitespaceLength(byte[] b, int pos, int end) {
        int c = b[pos] & 0xFF;
        if (c < 0x80) return (c == ' ' || (c >= 0x09 && c <= 0x0D)) ? 1 : 0;
        int len = Utf8.charLength(b[pos]);
        if (pos + len > end || len == 4) return 0;
        int cp = len == 2 ? (c & 0x1F) << 6 | (b[pos + 1] & 0x3F)
                : (c & 0x0F) << 12 | (b[pos + 1] & 0x3F) << 6 | (b[pos + 2] & 0x3F);
        boolean white = cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
        return white ? len : 0;
    }
}
