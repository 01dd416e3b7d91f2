package dev.resumo.tokenizer;

/**
 * SentencePiece's precompiled normalization rules: a Darts-clone double-array trie over UTF-8 byte
 * strings whose values point into a block of NUL-terminated replacement strings. Layout of the blob:
 * {@code uint32 trie size (little endian) | trie units (uint32 each) | replacement strings}.
 */
final class CharsMap {
    private final int[] units;
    private final byte[] replacements;

    private CharsMap(int[] units, byte[] replacements) {
        this.units = units;
        this.replacements = replacements;
    }

    /** Returns null for an empty blob (no rules: identity normalization). */
    static CharsMap parse(byte[] blob, String source) {
        if (blob.length == 0) return null;
        if (blob.length < 4) throw new TokenizerException(source + ": precompiled charsmap is truncated (" + blob.length + " bytes)");
        long trieSize = littleEndianInt(blob, 0) & 0xFFFFFFFFL;
        if (trieSize >= blob.length - 4L + 1 || trieSize % 4 != 0 || trieSize == 0) {
            throw new TokenizerException(source + ": precompiled charsmap trie size " + trieSize
                    + " does not fit its " + blob.length + "-byte blob");
        }
        int[] units = new int[(int) (trieSize / 4)];
        for (int i = 0; i < units.length; i++) units[i] = littleEndianInt(blob, 4 + 4 * i);
        int start = 4 + (int) trieSize;
        byte[] replacements = new byte[blob.length - start];
        System.arraycopy(blob, start, replacements, 0, replacements.length);
        return new CharsMap(units, replacements);
    }

    /**
     * The longest rule matching {@code text[pos..end)}: returns {@code length << 32 | replacementOffset},
     * or -1 when no rule matches. (Darts-clone's commonPrefixSearch, keeping the longest hit.)
     */
    long longestMatch(byte[] text, int pos, int end) {
        int[] u = units;
        int nodePos = offset(u[0]);
        long best = -1;
        for (int i = pos; i < end; i++) {
            int label = text[i] & 0xFF;
            nodePos ^= label;
            if (nodePos >= u.length) return best;
            int unit = u[nodePos];
            if ((unit & 0x800000FF) != label) return best;
            nodePos ^= offset(unit);
            if (((unit >>> 8) & 1) == 1) {
                if (nodePos >= u.length) return best;
                int value = u[nodePos] & 0x7FFFFFFF;
                best = ((long) (i + 1 - pos) << 32) | value;
            }
        }
        return best;
    }

    /**
     * The shortest rule matching a prefix of {@code text[pos..end)} (stopping at a NUL byte), as the
     * Rust {@code spm_precompiled} crate behind Hugging Face's Precompiled normalizer takes it:
     * returns the replacement offset, or -1.
     */
    int firstMatch(byte[] text, int pos, int end) {
        int[] u = units;
        int nodePos = offset(u[0]);
        for (int i = pos; i < end; i++) {
            int label = text[i] & 0xFF;
            if (label == 0) return -1;
            nodePos ^= label;
            if (nodePos >= u.length) return -1;
            int unit = u[nodePos];
            if ((unit & 0x800000FF) != label) return -1;
            nodePos ^= offset(unit);
            if (((unit >>> 8) & 1) == 1) return nodePos < u.length ? u[nodePos] & 0x7FFFFFFF : -1;
        }
        return -1;
    }

    /** True when some rule's key starts with byte {@code label}. */
    boolean hasRuleStartingWith(int label) {
        int nodePos = offset(units[0]) ^ label;
        return nodePos < units.length && (units[nodePos] & 0x800000FF) == label;
    }

    /** The replacement bytes at {@code offset}: up to the NUL terminator. */
    int replacementEnd(int offset) {
        int e = offset;
        while (e < replacements.length && replacements[e] != 0) e++;
        return e;
    }

    byte[] replacements() {
        return replacements;
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
