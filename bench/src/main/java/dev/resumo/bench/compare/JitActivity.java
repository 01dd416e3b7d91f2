package dev.resumo.bench.compare;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Milliseconds HotSpot's compiler threads have spent compiling since the JVM started, to tell a
 * warm-up run that still ran beside the JIT from one that did not (see T5Workloads#settled).
 */
final class JitActivity {
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private JitActivity() {}

    /** Compilation time so far in ms, or -1 where the JVM does not measure it. */
    static long millis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : -1;
    }
}
