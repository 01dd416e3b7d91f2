package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The download itself is tested in t5 (ModelDownloaderTest, against a local hub); here: the command's user errors. */
class FetchCommandTest {
    private static String run(int expectedCode, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedCode, code, err.toString(StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badArgumentsAreOneLineUserErrors() {
        assertTrue(run(2, "fetch").contains("give exactly one repository"));
        String bad = run(2, "fetch", "not-a-repo");
        assertTrue(bad.contains("'not-a-repo' is not a hub repository id") && !bad.contains("\tat "), bad);
        String rev = run(2, "fetch", "org/name", "--revision", "../x");
        assertTrue(rev.contains("revision '../x' is not a branch, tag or commit name"), rev);
    }
}
