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
    private volatile boolean closed;
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
        if (closed) {
            // Still installed after close (the previous handler could not be put back): do what the
            // JVM's own handler does, exit with 128 + the signal number, running shutdown hooks.
            System.exit(128 + s.getNumber());
            return;
        }
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
        closed = true;
        restore("TERM", previousTerm);
        restore("INT", previousInt);
    }

    /**
     * Puts the previous handler back. The JDK can hand out a previous handler it then refuses:
     * when the process's signal disposition was changed and changed back outside the JVM (native
     * code, e.g. an OpenCL runtime), sun.misc.Signal reports a Java handler it has no record of,
     * wrapped as a handler of null, and reinstalling it throws NullPointerException("handler") —
     * seen once in CI, at the end of a finished `resumo train` (the run and its checkpoint were
     * complete). Then ours stays, closed, and acts as the JVM's default handler.
     */
    private static void restore(String name, SignalHandler previous) {
        if (previous == null) return;
        try {
            Signal.handle(new Signal(name), previous);
        } catch (NullPointerException | IllegalArgumentException e) {
            // keep ours (see above)
        }
    }
}
