package dev.resumo.train;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM / SIGINT into a request the training loop honours after the current step (it then
 * writes a checkpoint and returns). A second signal while the first is pending exits at once:
 * checkpoints are atomic, so at worst the one being written is ignored on resume.
 */
public final class StopSignal implements AutoCloseable {
    private volatile String requested;
    private final SignalHandler previousTerm;
    private final SignalHandler previousInt;

    private StopSignal(boolean install) {
        if (!install) {
            previousTerm = previousInt = null;
            return;
        }
        previousTerm = Signal.handle(new Signal("TERM"), this::onSignal);
        previousInt = Signal.handle(new Signal("INT"), this::onSignal);
    }

    /** Handles SIGTERM and SIGINT until closed. */
    public static StopSignal install() {
        return new StopSignal(true);
    }

    /** A stop request that only {@link #request} can raise (library use, tests). */
    public static StopSignal manual() {
        return new StopSignal(false);
    }

    private void onSignal(Signal s) {
        if (requested != null) {
            System.err.println("resumo: second SIG" + s.getName() + ", exiting without waiting for the checkpoint");
            Runtime.getRuntime().halt(128 + s.getNumber());
        }
        requested = "SIG" + s.getName();
    }

    public void request(String why) {
        requested = why;
    }

    /** The signal's name once one arrived, else null. */
    public String requested() {
        return requested;
    }

    @Override
    public void close() {
        if (previousTerm != null) Signal.handle(new Signal("TERM"), previousTerm);
        if (previousInt != null) Signal.handle(new Signal("INT"), previousInt);
    }
}
