package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up runs the GEMM tile kernel once per JVM, on a daemon thread, and can be turned off. */
class KernelWarmupTest {

    @Test
    void runsTheTileKernelOnceOnADaemonThread() throws InterruptedException {
        assertNull(KernelWarmup.start(false), "turned off: no thread");
        Thread first = KernelWarmup.start(true);
        assertNotNull(first, "the first start starts the warm-up");
        assertTrue(first.isDaemon(), "a daemon: a command never waits for it to exit");
        assertEquals(KernelWarmup.THREAD_NAME, first.getName());
        assertNull(KernelWarmup.start(true), "once per JVM");
        assertTrue(KernelWarmup.started());
        first.join(60_000);
        float[] c = KernelWarmup.lastTile;
        assertNotNull(c, "the kernel ran to the end");
        // Its last call accumulated onto the one before it (odd calls add): C[0][0] is the FMA chain
        // of Σ_p a[p·MR]·b[p·NR] over the depth, run twice, the second from the first's result.
        float once = chain(0f), twice = chain(once);
        assertEquals(twice, c[0], 0f, "the kernel's bits: one FMA chain per element");
    }

    private static float chain(float from) {
        float s = from;
        for (int p = 0; p < 8; p++) s = Math.fma(1e-3f * ((p * GemmMicroKernel.MR) % 7), 1e-3f * ((p * GemmMicroKernel.NR) % 5), s);
        return s;
    }
}
