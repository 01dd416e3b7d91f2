package dev.resumo.train.track;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Where a run reports to: no-op, the local run directory, or an MLflow server. Chosen at start. */
public interface Tracker {
    /** The run begins; params is the resolved configuration (flag name → value). */
    void start(Map<String, Object> params) throws IOException;

    /** Metrics measured at an optimizer step (loss, lr, eval_loss, rouge1 ...). */
    void metrics(long step, Map<String, Double> metrics) throws IOException;

    /** A file or directory produced by the run (final model, model card). */
    void artifacts(Path path) throws IOException;

    /** The run ends: "FINISHED", "EARLY_STOPPED", "INTERRUPTED" or "FAILED". */
    void end(String status) throws IOException;

    /**
     * Asked from another thread (a Ctrl-C) while {@link #end} waits on something outside the run —
     * a tracking server taking the last metrics: stop waiting now and report what was not delivered.
     * Trackers that never wait ignore it.
     */
    default void stopWaiting() {}

    /** The run ends with a reason, e.g. FAILED and the error's message; trackers that keep no reason drop it. */
    default void end(String status, String reason) throws IOException {
        end(status);
    }
}
