package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What each signal does: acknowledged stop, a double tap absorbed, a later one quits at once, a wait cut short. */
class StopSignalPressesTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Integer> halts = new ArrayList<>();
    private final StopSignal stop = StopSignal.forTest(new PrintStream(err, true, StandardCharsets.UTF_8), halts::add);

    private String said() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSecondSignalAfterTheDoubleTapWindowQuitsAtOnceSayingHowToGoOn() throws Exception {
        stop.onSignal("SIGINT", 130);
        assertEquals("SIGINT", stop.requested());
        assertTrue(said().contains("SIGINT: stopping after the current step") && said().contains("SIGINT again to quit at once"), said());
        stop.onSignal("SIGINT", 130);
        assertEquals(List.of(), halts, "within the double-tap window: the same press");
        Thread.sleep(StopSignal.DOUBLE_PRESS_NANOS / 1_000_000 + 100);
        stop.onSignal("SIGINT", 130);
        assertEquals(List.of(130), halts, "a deliberate second press quits with 128 + SIGINT");
        assertTrue(said().contains("--resume auto continues from the last complete one"), said());
    }

    /** The demo has no --resume: its quit-at-once message named one anyway. */
    @Test
    void aRunThatCannotResumeIsNotToldToResume() throws Exception {
        StopSignal demo = StopSignal.forTest(new PrintStream(err, true, StandardCharsets.UTF_8), halts::add)
                .continuedBy(StopSignal.Continuation.RUN_AGAIN);
        demo.onSignal("SIGINT", 130);
        Thread.sleep(StopSignal.DOUBLE_PRESS_NANOS / 1_000_000 + 100);
        demo.onSignal("SIGINT", 130);
        assertEquals(List.of(130), halts);
        assertTrue(said().contains("exiting without waiting for the checkpoint; the demo does not resume: run it again"), said());
        assertFalse(said().contains("--resume"), said());
    }

    @Test
    void aSignalWhileTheRunOnlyWaitsCutsTheWaitAndStopsNothing() {
        AtomicInteger cut = new AtomicInteger();
        stop.whileOnlyWaiting(cut::incrementAndGet);
        stop.onSignal("SIGINT", 130);
        stop.onSignal("SIGINT", 130);
        assertEquals(2, cut.get());
        assertNull(stop.requested(), "the run's outcome is already decided: a finished run stays finished");
        assertEquals(List.of(), halts);
        stop.whileOnlyWaiting(null);
        stop.onSignal("SIGTERM", 143);
        assertEquals("SIGTERM", stop.requested(), "after the wait, signals stop the run again");
    }

    /** A stop that reached the end's tracker wait within the double tap: the tap's second signal must not cut the wait. */
    @Test
    void aDoubleTapThatOutrunsTheStopStillDoesNotCutTheTrackerWait() {
        AtomicInteger cut = new AtomicInteger();
        stop.onSignal("SIGTERM", 143);
        stop.whileOnlyWaiting(cut::incrementAndGet); // the step, its checkpoint and the run's end were quick
        stop.onSignal("SIGTERM", 143);
        assertEquals(0, cut.get(), "the same press: " + said());
        assertTrue(said().contains("SIGTERM again: already stopping"), said());
        assertEquals(List.of(), halts);
    }
}
