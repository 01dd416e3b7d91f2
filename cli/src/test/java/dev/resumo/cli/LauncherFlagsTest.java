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
}
