package dev.resumo.train.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop + resume of a real T5 run (dropout 0.1, Adafactor, grad-accum 2, stop mid-epoch) ends with
 * the same bytes as an uninterrupted run. Run in a fresh JVM so the first steps execute before the
 * kernels are JIT-compiled: this caught kernels whose results changed between JIT tiers (vector
 * EXP/TANH stubs, reduceLanes order; fixed in engine.cpu, see LaneSums) — with them two
 * uninterrupted runs already differed at step 4.
 */
class T5ResumeTest {
    @Test
    void stoppedAndResumedT5MatchesUninterruptedRun(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("check.log");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", 
                "-cp", System.getProperty("java.class.path"), T5ResumeCheck.class.getName(), tmp.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "check did not finish in 300 s");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("weights identical, optimizer state identical"), out);
        System.out.println(out.lines().filter(l -> l.startsWith("T5 stop")).findFirst().orElse(out));
    }
}
