package dev.resumo.train.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Identity of a text for duplicate detection: SHA-256 (first 128 bits) of its normalized form —
 * NFKC, lower case, runs of whitespace collapsed to one space, trimmed — so copies differing only in
 * case, spacing or compatibility characters count as the same text.
 */
record TextFingerprint(long hi, long lo) {
    static String normalize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return s.replaceAll("(?U)\\s+", " ").strip();
    }

    static TextFingerprint of(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(normalize(text).getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.wrap(d);
            return new TextFingerprint(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
