package dev.resumo.tokenizer;

/**
 * UTF-8 encoding into a caller-owned, growing buffer, so the encoder allocates nothing per call once
 * warm. A lone surrogate (which no UTF-8 can carry) becomes U+FFFD, as Python does with
 * {@code errors="replace"}; Java's own {@code getBytes} would write '?' instead.
 */
final class Utf8 {
    private Utf8() {}

    /** Encodes {@code text[from..to)} into {@code sink} after its current contents. */
    static void encode(char[] text, int from, int to, ByteSink sink) {
        sink.ensureFree(3 * (to - from));
        byte[] b = sink.bytes;
        int n = sink.length;
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (c < 0x80) {
                b[n++] = (byte) c;
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | c >> 6);
                b[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text[i + 1])) {
                int cp = Character.toCodePoint(c, text[++i]);
                b[n++] = (byte) (0xF0 | cp >> 18);
                b[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | cp & 0x3F);
            } else {
                if (Character.isSurrogate(c)) c = '\uFFFD';
                b[n++] = (byte) (0xE0 | c >> 12);
                b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        sink.length = n;
    }

    /** Length of the UTF-8 character that starts with {@code lead} (1 for a stray continuation byte). */
    static int charLength(byte lead) {
        int b = lead & 0xFF;
        if (b < 0xC0) return 1;
        if (b < 0xE0) return 2;
        if (b < 0xF0) return 3;
        return 4;
    }

    /**
     * Length of the valid UTF-8 character at {@code s[pos]}, or 0 when the bytes there are malformed
     * (bad lead, missing continuation, overlong form, surrogate, or beyond U+10FFFF).
     */
    static int validCharLength(byte[] s, int pos, int end) {
        int b0 = s[pos] & 0xFF;
        if (b0 < 0x80) return 1;
        int len;
        int min;
        int cp;
        if (b0 >= 0xC2 && b0 < 0xE0) { len = 2; min = 0x80; cp = b0 & 0x1F; }
        else if (b0 >= 0xE0 && b0 < 0xF0) { len = 3; min = 0x800; cp = b0 & 0x0F; }
        else if (b0 >= 0xF0 && b0 < 0xF5) { len = 4; min = 0x10000; cp = b0 & 0x07; }
        else return 0;
        if (pos + len > end) return 0;
        for (int k = 1; k < len; k++) {
            int c = s[pos + k] & 0xFF;
            if ((c & 0xC0) != 0x80) return 0;
            cp = cp << 6 | (c & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        return len;
    }
}
