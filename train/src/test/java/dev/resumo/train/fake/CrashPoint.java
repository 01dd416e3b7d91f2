package dev.resumo.train.fake;

import dev.resumo.train.track.Tracker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A tracker that does something at one exact moment of a run: when the line of a given step (its
 * training line, or its evaluation line) has been logged. What a kill -9 leaves depends on the
 * instant it lands; this puts a simulated crash ({@link Crash}) or a broken file at a chosen one,
 * the same every time, where a real kill can only be aimed at a window.
 */
public final class CrashPoint implements Tracker {
    /** Thrown to end the run there and then, as a kill would (the trainer records FAILED and rethrows it). */
    public static final class Crash extends Error {
        public Crash(String where) {
            super("simulated crash " + where);
        }
    }

    /** What happens at the moment. */
    public interface Action {
        void at(long step) throws IOException;
    }

    private final Tracker delegate;
    private final long step;
    private final boolean evalLine;
    private final Action action;
    private boolean done;

    private CrashPoint(Tracker delegate, long step, boolean evalLine, Action action) {
        this.delegate = delegate;
        this.step = step;
        this.evalLine = evalLine;
        this.action = action;
    }

    /** {@code action} once step {@code step}'s training line (loss, lr ...) is in the delegate. */
    public static CrashPoint afterTrainLine(Tracker delegate, long step, Action action) {
        return new CrashPoint(delegate, step, false, action);
    }

    /** {@code action} once step {@code step}'s evaluation line (eval_loss ...) is in the delegate, before the trainer compares it with the best. */
    public static CrashPoint afterEvalLine(Tracker delegate, long step, Action action) {
        return new CrashPoint(delegate, step, true, action);
    }

    /** An action that crashes the run. */
    public static Action crash() {
        return s -> {
            throw new Crash("after the line of step " + s);
        };
    }

    @Override
    public void start(Map<String, Object> params) throws IOException {
        delegate.start(params);
    }

    @Override
    public void metrics(long s, Map<String, Double> metrics) throws IOException {
        delegate.metrics(s, metrics);
        if (!done && s == step && metrics.containsKey("eval_loss") == evalLine) {
            done = true;
            action.at(s);
        }
    }

    @Override
    public void artifacts(Path path) throws IOException {
        delegate.artifacts(path);
    }

    @Override
    public void end(String status) throws IOException {
        delegate.end(status);
    }

    @Override
    public void end(String status, String reason) throws IOException {
        delegate.end(status, reason);
    }
}
