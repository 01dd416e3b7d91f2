package dev.resumo.train;

import java.io.PrintStream;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM / SIGINT / SIGHUP into a request the training loop honours after the current step
 * (it then writes a checkpoint and returns), and says so at once: a step (and an evaluation) can
 * take minutes, and a Ctrl-C that seems ignored gets pressed again. SIGHUP is what a dropped ssh
 * session sends: the JVM's own handler exited at once, losing every step since the last
 * checkpoint. Under nohup (SIGHUP ignored when the JVM starts) the JVM installs nothing for it and
 * neither does this: the run goes on, as nohup asks.
 *
 * <p>A second signal within {@link #DOUBLE_PRESS_NANOS} of the first is taken as the same press
 * (a double tap) and only acknowledged; a later one exits at once: checkpoints are atomic, so at
 * worst the one being written is ignored on resume. While the run only waits for a tracking server
 * at its end ({@link #whileOnlyWaiting}), a signal cuts that wait short instead.
 */
public final class StopSignal implements AutoCloseable {
    /** Signals closer together than this are one press of Ctrl-C, not a request to quit at once. */
    static final long DOUBLE_PRESS_NANOS = 1_000_000_000L;

    /**
     * How a stopped run goes on, for every message that tells the user: train continues from its
     * checkpoint with --resume auto; the demo has no --resume (it always starts a new run), and an
     * interrupted demo told its user "continue with --resume auto", which neither `resumo demo` nor
     * `resumo train` could do with a demo run.
     */
    public enum Continuation {
        RESUME_AUTO("continue with --resume auto", "--resume auto continues from the last complete one"),
        // "with a new --output-dir" alone read as if a plain `bin/resumo demo` needed the flag to run again;
        // it writes a new runs/demo-<timestamp> each time.
        RUN_AGAIN("the demo does not resume: run it again; it writes a new run directory (with --output-dir, give a new one)");

        private final String afterCheckpoint;
        private final String withoutCheckpoint;

        Continuation(String afterCheckpoint, String withoutCheckpoint) {
            this.afterCheckpoint = afterCheckpoint;
            this.withoutCheckpoint = withoutCheckpoint;
        }

        /** The same words whether or not the checkpoint was written. */
        Continuation(String either) {
            this(either, either);
        }

        /** What to do once the stop wrote its checkpoint. */
        public String afterCheckpoint() {
            return afterCheckpoint;
        }

        /** What to do when a second signal quit without waiting for the checkpoint. */
        public String withoutCheckpoint() {
            return withoutCheckpoint;
        }
    }

    private volatile String requested;
    private volatile long requestedAtNanos;
    private volatile boolean closed;
    private volatile Runnable onlyWaiting;
    private final PrintStream err;
    private final IntConsumer halt;
    private volatile Continuation continuation = Continuation.RESUME_AUTO;
    private final SignalHandler previousTerm;
    private final SignalHandler previousInt;
    private final SignalHandler previousHup;

    private StopSignal(boolean install, PrintStream err, IntConsumer halt) {
        this.err = err;
        this.halt = halt;
        if (!install) {
            previousTerm = previousInt = previousHup = null;
            return;
        }
        previousTerm = Signal.handle(new Signal("TERM"), s -> onSignal("SIG" + s.getName(), 128 + s.getNumber()));
        previousInt = Signal.handle(new Signal("INT"), s -> onSignal("SIG" + s.getName(), 128 + s.getNumber()));
        previousHup = handleHangUp();
    }

    /**
     * Takes over SIGHUP where the JVM handles it. The JVM registers nothing for a signal ignored at
     * its start (nohup): then Signal.handle installs nothing either and answers SIG_IGN, and the
     * ignore stays. Where the platform has no SIGHUP, nothing is done.
     */
    private SignalHandler handleHangUp() {
        try {
            return Signal.handle(new Signal("HUP"), s -> onSignal("SIG" + s.getName(), 128 + s.getNumber()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Handles SIGTERM, SIGINT and SIGHUP until closed. */
    public static StopSignal install() {
        return new StopSignal(true, System.err, code -> Runtime.getRuntime().halt(code));
    }

    /** A stop request that only {@link #request} can raise (library use, tests). */
    public static StopSignal manual() {
        return new StopSignal(false, System.err, code -> Runtime.getRuntime().halt(code));
    }

    /** Not installed; what a signal would do goes to {@code err}, and quitting at once calls {@code halt} (tests). */
    static StopSignal forTest(PrintStream err, IntConsumer halt) {
        return new StopSignal(false, err, halt);
    }

    /** What the handler does with signal {@code name}; {@code exitCode} is 128 + its number. */
    void onSignal(String name, int exitCode) {
        if (closed) {
            // Still installed after close (the previous handler could not be put back): do what the
            // JVM's own handler does, exit with 128 + the signal number, running shutdown hooks.
            System.exit(exitCode);
            return;
        }
        long now = System.nanoTime();
        // A double tap stays one press in every phase: a stopped run can reach its end's wait for the
        // tracking server within the tap, and the reflex second signal must not cut that wait short.
        if (requested != null && now - requestedAtNanos < DOUBLE_PRESS_NANOS) {
            err.println("resumo: " + name + " again: already stopping; the checkpoint is on its way");
            return;
        }
        Runnable waiting = onlyWaiting;
        if (waiting != null) {
            err.println("resumo: " + name + ": not waiting any longer for the tracking server");
            waiting.run();
            return;
        }
        if (requested == null) {
            requestedAtNanos = now;
            requested = name;
            err.println("resumo: " + name + ": stopping after the current step (and any evaluation in progress), then writing"
                    + " a checkpoint; " + name + " again to quit at once without it");
            return;
        }
        err.println("resumo: second " + name + ", exiting without waiting for the checkpoint; " + continuation.withoutCheckpoint());
        halt.accept(exitCode);
    }

    public void request(String why) {
        requested = why;
    }

    /** Sets how the stopped run goes on (default {@link Continuation#RESUME_AUTO}); returns this. */
    public StopSignal continuedBy(Continuation how) {
        this.continuation = how;
        return this;
    }

    /** How the stopped run goes on, for the messages that say so. */
    public Continuation continuation() {
        return continuation;
    }

    /** The signal's name once one arrived, else null. */
    public String requested() {
        return requested;
    }

    /**
     * While {@code stopWaiting} is set (not null), the run is done and only waits on something outside
     * it: a signal calls it instead of stopping the run or quitting. Null ends that phase.
     */
    public void whileOnlyWaiting(Runnable stopWaiting) {
        this.onlyWaiting = stopWaiting;
    }

    @Override
    public void close() {
        closed = true;
        restore("TERM", previousTerm);
        restore("INT", previousInt);
        restore("HUP", previousHup);
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
