package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenAuthTest {
    @Test
    void comparesFixedLengthDigestsAgainstEveryTokenWithoutStoppingEarly() {
        List<int[]> calls = new ArrayList<>();
        TokenAuth auth = new TokenAuth(List.of("alpha-token", "b", "gamma"), (a, b) -> {
            calls.add(new int[] {a.length, b.length});
            return MessageDigest.isEqual(a, b);
        });
        for (String header : List.of("Bearer alpha-token", "Bearer b", "gamma", "wrong", "Bearer alpha-toke",
                "Bearer " + "x".repeat(5000))) {
            calls.clear();
            auth.allows(header);
            assertEquals(3, calls.size(), "every token compared, matched or not: " + header);
            for (int[] c : calls) {
                assertEquals(32, c[0], "a SHA-256 digest is compared, not the token");
                assertEquals(32, c[1], "the candidate is hashed to the same length whatever its length");
            }
        }
    }

    @Test
    void acceptsBearerAndBareTokens() {
        TokenAuth auth = new TokenAuth(List.of("t0k3n"));
        assertTrue(auth.enabled());
        assertTrue(auth.allows("Bearer t0k3n"));
        assertTrue(auth.allows("BEARER t0k3n"));
        assertTrue(auth.allows("t0k3n"));
        assertFalse(auth.allows(null));
        assertFalse(auth.allows(""));
        assertFalse(auth.allows("Bearer t0k3"));
        assertFalse(auth.allows("Bearer t0k3n "  + "x"));
        assertTrue(new TokenAuth(List.of()).allows(null), "no tokens configured: open");
    }

    @Test
    void productionComparatorIsMessageDigestIsEqual() throws Exception {
        // The only constructor that code outside tests can reach must use the JDK's constant-time compare.
        var field = TokenAuth.class.getDeclaredField("comparator");
        field.setAccessible(true);
        TokenAuth.DigestComparator c = (TokenAuth.DigestComparator) field.get(new TokenAuth(List.of("x")));
        byte[] a = TokenAuth.sha256("x");
        assertTrue(c.same(a, a.clone()));
        assertFalse(c.same(a, TokenAuth.sha256("y")));
        String source = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("resumo.root"),
                "serve/src/main/java/dev/resumo/serve/TokenAuth.java"));
        assertTrue(source.contains("this(tokens, MessageDigest::isEqual)"), "public constructor wires MessageDigest.isEqual");
    }
}
