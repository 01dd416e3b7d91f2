package dev.resumo.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GemmTimingTest {
    @Test
    void medianIsNoFasterThanBest() {
        GemmTiming.Result r = GemmTiming.measure(new GemmShape(64, 64, 64, "NT"), 5);
        assertTrue(r.bestGflops() > 0 && r.medianGflops() > 0, r.toString());
        assertTrue(r.medianGflops() <= r.bestGflops(), r.toString());
    }

    @Test
    void fmaPeakIsPositiveAndFinite() throws Exception {
        double gflops = FmaPeak.measure(1, 1, 20);
        assertTrue(gflops > 0 && Double.isFinite(gflops), "FMA peak " + gflops);
    }
}
