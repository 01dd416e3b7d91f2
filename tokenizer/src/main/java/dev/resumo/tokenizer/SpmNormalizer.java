package dev.resumo.tokenizer;

/**
 * SentencePiece's normalizer, byte for byte: user-defined pieces pass whole; otherwise the longest
 * charsmap rule replaces the input (a malformed byte becomes U+FFFD); runs of spaces collapse,
 * leading and trailing spaces go, spaces become {@code ▁} and a {@code ▁} is put in front.
 * Works on UTF-8 bytes because the charsmap trie and the pieces are defined on bytes.
 */
final class SpmNormalizer {
    private static final byte[] SPACE_SYMBOL = {(byte) 0xE2, (byte) 0x96, (byte) 0x81}; // U+2581 ▁
    private static final byte[] REPLACEMENT_CHAR = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    private static final byte[] SPACE = {' '};

    private final CharsMap charsMap;
    private final PieceTrie userDefined; // null when the model has no user-defined pieces
    private final NormalizerSpec spec;
    private final boolean whitespaceAsSuffix;
    /** ASCII bytes that no charsmap rule starts with: they map to themselves without a trie walk. */
    private final boolean[] asciiIdentity = new boolean[128];

    SpmNormalizer(NormalizerSpec spec, CharsMap charsMap, PieceTrie userDefined, boolean whitespaceAsSuffix) {
        this.spec = spec;
        this.charsMap = charsMap;
        this.userDefined = userDefined;
        this.whitespaceAsSuffix = whitespaceAsSuffix;
        for (int c = 0; c < 128; c++) {
            boolean rule = charsMap != null && charsMap.hasRuleStartingWith(c);
            boolean user = userDefined != null && userDefined.child(PieceTrie.ROOT, (byte) c) >= 0;
            asciiIdentity[c] = !rule && !user;
        }
    }

    /** Normalizes {@code in[0..inLength)} into {@code out} (cleared first). */
    void normalize(byte[] in, int inLength, ByteSink out) {
        out.reset();
        out.ensureFree(inLength * 3 + 3);
        boolean removeExtra = spec.removeExtraWhitespaces();
        int pos = 0;
        if (removeExtra) {
            while (pos < inLength) {
                if (in[pos] == ' ' && asciiIdentity[' ']) {
                    pos++;
                    continue;
                }
                long m = match(in, pos, inLength);
                if (isSingleSpace(m, in, pos)) pos += consumed(m);
                else break;
            }
        }
        if (pos == inLength) return;
        if (spec.addDummyPrefix() && !whitespaceAsSuffix) appendSpace(out);
        boolean prevSpace = removeExtra;
        while (pos < inLength) {
            byte b = in[pos];
            if (b >= 0 && asciiIdentity[b]) {
                // Fast path: an ASCII byte that maps to itself.
                if (b == ' ') {
                    if (!prevSpace) {
                        appendSpace(out);
                        prevSpace = removeExtra;
                    }
                } else {
                    out.append(b);
                    prevSpace = false;
                }
                pos++;
                continue;
            }
            long m = match(in, pos, inLength);
            byte[] src = sourceArray(m, in);
            int s = sourceStart(m, pos);
            int e = sourceEnd(m, pos, s);
            while (prevSpace && s < e && src[s] == ' ') s++;
            if (s < e) {
                for (int k = s; k < e; k++) {
                    if (src[k] == ' ' && spec.escapeWhitespaces()) out.append(SPACE_SYMBOL, 0, 3);
                    else out.append(src[k]);
                }
                prevSpace = src[e - 1] == ' ';
            }
            pos += consumed(m);
            prevSpace = prevSpace && removeExtra;
        }
        if (whitespaceAsSuffix && spec.addDummyPrefix()) appendSpace(out);
        if (removeExtra) stripTrailingSpaces(out);
    }

    private void appendSpace(ByteSink out) {
        if (spec.escapeWhitespaces()) out.append(SPACE_SYMBOL, 0, 3);
        else out.append((byte) ' ');
    }

    private void stripTrailingSpaces(ByteSink out) {
        if (spec.escapeWhitespaces()) {
            while (out.length >= 3 && out.bytes[out.length - 3] == SPACE_SYMBOL[0]
                    && out.bytes[out.length - 2] == SPACE_SYMBOL[1] && out.bytes[out.length - 1] == SPACE_SYMBOL[2]) {
                out.length -= 3;
            }
        } else {
            while (out.length > 0 && out.bytes[out.length - 1] == ' ') out.length--;
        }
    }

    // A match is packed in a long: kind (2 bits) | consumed (30 bits) | charsmap offset (32 bits).
    private static final long KIND_INPUT = 0, KIND_CHARSMAP = 1, KIND_REPLACEMENT = 2;

    /** SentencePiece's NormalizePrefix: what the input at {@code pos} turns into and how much it eats. */
    private long match(byte[] in, int pos, int end) {
        if (userDefined != null) {
            int len = userDefined.longestPrefix(in, pos, end);
            if (len > 0) return pack(KIND_INPUT, len, 0);
        }
        if (charsMap != null) {
            long hit = charsMap.longestMatch(in, pos, end);
            if (hit >= 0) return pack(KIND_CHARSMAP, (int) (hit >>> 32), (int) hit);
        }
        int len = Utf8.validCharLength(in, pos, end);
        if (len == 0) return pack(KIND_REPLACEMENT, 1, 0);
        return pack(KIND_INPUT, len, 0);
    }

    private static long pack(long kind, int consumed, int offset) {
        return kind << 62 | (long) consumed << 32 | (offset & 0xFFFFFFFFL);
    }

    private static int consumed(long m) {
        return (int) (m >>> 32) & 0x3FFFFFFF;
    }

    private byte[] sourceArray(long m, byte[] in) {
        long kind = m >>> 62;
        if (kind == KIND_CHARSMAP) return charsMap.replacements();
        if (kind == KIND_REPLACEMENT) return REPLACEMENT_CHAR;
        return in;
    }

    private static int sourceStart(long m, int pos) {
        long kind = m >>> 62;
        if (kind == KIND_CHARSMAP) return (int) m;
        if (kind == KIND_REPLACEMENT) return 0;
        return pos;
    }

    private int sourceEnd(long m, int pos, int start) {
        long kind = m >>> 62;
        if (kind == KIND_CHARSMAP) return charsMap.replacementEnd(start);
        if (kind == KIND_REPLACEMENT) return 3;
        return pos + consumed(m);
    }

    private boolean isSingleSpace(long m, byte[] in, int pos) {
        byte[] src = sourceArray(m, in);
        int s = sourceStart(m, pos);
        int e = sourceEnd(m, pos, s);
        return e - s == 1 && src[s] == ' ';
    }
}
