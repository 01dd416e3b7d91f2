package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --token-file as editors write it (BOM, CRLF) and as users mistype it (missing, a folder, not UTF-8, odd characters). */
class TokenFileInputTest {
    @TempDir Path dir;

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstToken() throws Exception {
        // Notepad writes "UTF-8 with BOM": the BOM must not end up inside the first token, or that token never matches.
        Path file = dir.resolve("bom.txt");
        Files.write(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 't', 'o', 'k', '1', '\r', '\n', 't', 'o', 'k', '2', '\r', '\n'});
        assertEquals(List.of("tok1", "tok2"), ApiTokens.read(file.toString(), null));
    }

    @Test
    void aMissingFileIsNamedAsMissing() {
        UserError e = assertThrows(UserError.class, () -> ApiTokens.read(dir.resolve("nope.txt").toString(), null));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void aFolderIsNamedAsAFolder() {
        UserError e = assertThrows(UserError.class, () -> ApiTokens.read(dir.toString(), null));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8SaysSo() throws Exception {
        Path file = dir.resolve("latin1.txt");
        Files.write(file, new byte[] {'t', (byte) 0xE9, 's', 't', '\n'});
        UserError e = assertThrows(UserError.class, () -> ApiTokens.read(file.toString(), null));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void aTokenThatNoHttpHeaderCanCarryIsRefusedWithItsLine() throws Exception {
        // Header values are ISO-8859-1 on the wire; a non-ASCII token would be configured but could never match.
        Path file = dir.resolve("odd.txt");
        Files.writeString(file, "# tokens\nfine\nsénha\n");
        UserError e = assertThrows(UserError.class, () -> ApiTokens.read(file.toString(), null));
        assertTrue(e.getMessage().contains(":3") && e.getMessage().contains("printable ASCII"), e.getMessage());
        assertTrue(!e.getMessage().contains("sénha"), "tokens are never echoed: " + e.getMessage());
    }

    /** A set but empty RESUMO_API_TOKENS used to turn auth off without a word. */
    @Test
    void aSetButEmptyEnvironmentVariableIsAnError() {
        for (String blank : new String[] {"", " , ", ","}) {
            UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class, () -> ApiTokens.read(null, blank));
            assertTrue(e.getMessage().startsWith("RESUMO_API_TOKENS is set but holds no token"), e.getMessage());
        }
        assertEquals(List.of("a", "b"), ApiTokens.read(null, " a ,b,"));
        assertEquals(List.of(), ApiTokens.read(null, null), "unset: no tokens, auth off");
    }
}
