package dev.resumo.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks the Authorization header against the configured API tokens. Only SHA-256 digests of the
 * tokens are kept; a candidate is hashed and compared with {@link MessageDigest#isEqual} against
 * every digest, without stopping at a match, so the time taken says nothing about how much of a
 * token was right, nor which token matched. Tokens are never logged or echoed.
 */
public final class TokenAuth {
    /** Compares two digests; {@link MessageDigest#isEqual} in production, counted in a test. */
    @FunctionalInterface
    interface DigestComparator {
        boolean same(byte[] a, byte[] b);
    }

    private final List<byte[]> digests = new ArrayList<>();
    private final DigestComparator comparator;

    public TokenAuth(List<String> tokens) {
        this(tokens, MessageDigest::isEqual);
    }

    TokenAuth(List<String> tokens, DigestComparator comparator) {
        for (String t : tokens) digests.add(sha256(t));
        this.comparator = comparator;
    }

    public boolean enabled() {
        return !digests.isEmpty();
    }

    /** True when auth is off, or the header carries a configured token ("Bearer T" or a bare "T"). */
    public boolean allows(String authorizationHeader) {
        if (digests.isEmpty()) return true;
        if (authorizationHeader == null) return false;
        String value = authorizationHeader.trim();
        if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            value = value.substring(7).trim();
        }
        byte[] candidate = sha256(value);
        boolean match = false;
        for (byte[] d : digests) match |= comparator.same(d, candidate);
        return match;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
