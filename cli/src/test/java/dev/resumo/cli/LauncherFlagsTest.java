package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags bin/resumo starts a command with (bin/java-env): the engine's early compilation
 * always, transparent huge pages where the kernel offers them except for a one-shot
 * `summarize --text`.
 */
class LauncherFlagsTest {
    private static final String THP = "-XX:+UseTransparentHugePages";
    /** The repository's bin/ folder (Surefire runs in the module folder). */
    private static final Path JAVA_ENV = Path.of("..", "bin", "java-env").toAbsolutePath().normalize();

    private static List<String> flagsFor(String... commandLine) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("source \"$0\"; resumo_flags_for_command");
        for (int i = 0; i < commandLine.length; i++) script.append(" \"${").append(i + 1).append("}\"");
        script.append("; printf '%s\\n' \"${RESUMO_JVM_FLAGS[@]}\"");
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", "-c", script.toString(), JAVA_ENV.toString()));
        cmd.addAll(List.of(commandLine));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash sourcing bin/java-env did not finish");
        assertEquals(0, p.exitValue(), "bash sourcing bin/java-env failed");
        return out.lines().toList();
    }

    private static boolean kernelOffersHugePages() throws IOException {
        Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        return Files.isReadable(mode) && !Files.readString(mode).contains("[never]");
    }

    @Test
    void theEnginesKernelsCompileEarlyForEveryCommand() throws Exception {
        assumeTrue(Files.isRegularFile(JAVA_ENV), "bin/java-env not found at " + JAVA_ENV);
        for (String[] line : new String[][] {{"train", "--model", "m"}, {"summarize", "--text", "x"}, {"serve"}}) {
            assertTrue(flagsFor(line).contains("-XX:CompileCommand=CompileThresholdScaling,dev.resumo.engine.*::*,0.05"),
                    String.join(" ", line));
        }
    }

    @Test
    void aOneShotSummaryRunsWithoutHugePagesAndEverythingElseWithThem() throws Exception {
        assumeTrue(Files.isRegularFile(JAVA_ENV), "bin/java-env not found at " + JAVA_ENV);
        assumeTrue(kernelOffersHugePages(), "this kernel's transparent huge pages are off: the flag is never given");
        assertFalse(flagsFor("summarize", "--model", "m", "--text", "um texto").contains(THP));
        assertFalse(flagsFor("summarize", "--text=um texto", "--model", "m").contains(THP));
        assertTrue(flagsFor("summarize", "--model", "m", "--input", "rows.jsonl").contains(THP));
        assertTrue(flagsFor("serve", "--model", "m").contains(THP));
        assertTrue(flagsFor("train", "--text-column", "t").contains(THP), "--text-column is not --text");
    }

    /** `locale charmap` in bash after resumo_utf8_locale, started with {@code env} on top of the test's environment. */
    private static String charmapAfterUtf8Locale(String... env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source \"$0\"; resumo_utf8_locale; locale charmap", JAVA_ENV.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("LC_ALL");
        for (int i = 0; i < env.length; i += 2) pb.environment().put(env[i], env[i + 1]);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash sourcing bin/java-env did not finish");
        assertEquals(0, p.exitValue(), "bash sourcing bin/java-env failed");
        return out;
    }

    /**
     * Under LANG=C the JVM decoded arguments and file names as ASCII (`--text "café"` arrived as
     * "caf??", ação.jsonl could not be opened): bin/resumo runs it under a UTF-8 locale instead.
     */
    @Test
    void theJvmRunsUnderAUtf8LocaleWhateverTheUsersLocale() throws Exception {
        assumeTrue(Files.isRegularFile(JAVA_ENV), "bin/java-env not found at " + JAVA_ENV);
        Process probe = new ProcessBuilder("bash", "-c", "LC_ALL=C.UTF-8 locale charmap").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String cUtf8 = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && cUtf8.equals("UTF-8"), "skipped: no `locale` command or no C.UTF-8 locale here");
        assertEquals("UTF-8", charmapAfterUtf8Locale("LANG", "C"));
        assertEquals("UTF-8", charmapAfterUtf8Locale("LANG", "C.UTF-8", "LC_ALL", "POSIX"));
        assertEquals("UTF-8", charmapAfterUtf8Locale("LANG", "C.UTF-8"), "a UTF-8 locale is kept");
    }
}
