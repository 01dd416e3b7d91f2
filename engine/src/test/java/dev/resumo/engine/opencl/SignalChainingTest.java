package dev.resumo.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The JVM keeps its signal handlers once an OpenCL platform has loaded. PoCL's LLVM installs its
 * own SIGSEGV handler, and without the JVM's signal-chaining library (LD_PRELOAD libjsig, set for
 * the tests in the pom and by bin/resumo) the JVM died with a bare "Segmentation fault" on the
 * lent H200 machine. A child JVM with -Xcheck:jni lists the devices: the check reports every
 * replaced handler ("SIGSEGV handler modified!") when the chaining is missing.
 */
@Tag("opencl")
class SignalChainingTest {
    /**
     * The child's main: builds a kernel on the test device (PoCL compiles it with LLVM), then waits
     * for -Xcheck:jni's periodic check of the signal handlers (the watcher thread runs it every
     * 50 ms or so).
     */
    public static void main(String[] args) throws InterruptedException {
        OpenClRuntime rt = OpenClRuntime.forDevice(OpenClAvailable.spec());
        rt.kernel("elementwise.cl", "fill", "");
        Thread.sleep(1000);
        System.out.println("kernel built on " + rt.info().name());
    }

    @Test
    void aLoadedOpenClPlatformLeavesTheJvmItsSignalHandlers() throws Exception {
        OpenClAvailable.backend(); // skips without OpenCL
        String preload = System.getenv("LD_PRELOAD");
        assertTrue(preload != null && preload.contains("libjsig.so"), "tests run with LD_PRELOAD=<java.home>/lib/libjsig.so, got " + preload);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xcheck:jni",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), SignalChainingTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start(); // inherits LD_PRELOAD
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        assertFalse(out.contains("handler modified"), "the JVM's signal handlers were replaced:\n" + out);
        assertTrue(out.contains("kernel built on "), out);
        assertEquals(0, p.exitValue(), out);
    }
}
