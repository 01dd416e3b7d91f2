package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments a non-UTF-8 locale made unreadable are an error that names the locale, not a wrong result. */
class LocaleArgumentsTest {
    @Test
    void anArgumentDecodedWithReplacementCharactersUnderAsciiIsNamed() {
        String problem = LocaleArguments.problem(new String[] {"summarize", "--text", "a\uFFFD\uFFFDo"}, "ANSI_X3.4-1968");
        assertTrue(problem != null && problem.contains("'a??o'") && problem.contains("ANSI_X3.4-1968")
                && problem.contains("LC_ALL=C.UTF-8"), String.valueOf(problem));
        assertNull(LocaleArguments.problem(new String[] {"summarize", "--text", "ação"}, "ANSI_X3.4-1968"), "ASCII-clean after decoding");
        // Under UTF-8 a U+FFFD is a byte that was not UTF-8: --text reports that itself (CommandLineChecks.text).
        assertNull(LocaleArguments.problem(new String[] {"--text", "a\uFFFD"}, "UTF-8"));
    }

    /** The real thing: a fresh JVM under LC_ALL=C given "ação" on its command line. */
    @Test
    void aFreshJvmUnderTheCLocaleSaysWhyInsteadOfTokenizingReplacementCharacters(@TempDir Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "tokenize", "--tokenizer", SmallSpieceModel.path().toString(), "--text", "ação"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("LANG", "C");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "resumo tokenize did not finish");
        String err = Files.readString(dir.resolve("err.txt"));
        assertEquals(2, p.exitValue(), err);
        assertTrue(err.contains("resumo tokenize: cannot read the argument 'a") && err.contains("run under a UTF-8 locale"), err);
        assertEquals("", Files.readString(dir.resolve("out.txt")));
    }
}
