package dev.resumo.train.track;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reports to several trackers (the run directory and an MLflow server), in order; the first failure is rethrown after all were told. */
public final class CompositeTracker implements Tracker {
    private final List<Tracker> trackers;

    public CompositeTracker(List<Tracker> trackers) {
        this.trackers = List.copyOf(trackers);
    }

    @Override
    public void start(Map<String, Object> params) throws IOException {
        each(t -> t.start(params));
    }

    @Override
    public void metrics(long step, Map<String, Double> metrics) throws IOException {
        each(t -> t.metrics(step, metrics));
    }

    @Override
    public void artifacts(Path path) throws IOException {
        each(t -> t.artifacts(path));
    }

    @Override
    public void end(String status) throws IOException {
        each(t -> t.end(status));
    }

    @Override
    public void end(String status, String reason) throws IOException {
        each(t -> t.end(status, reason));
    }

    @Override
    public void stopWaiting() {
        for (Tracker t : trackers) t.stopWaiting();
    }

    private interface Call {
        void on(Tracker t) throws IOException;
    }

    private void each(Call call) throws IOException {
        IOException firstIo = null;
        RuntimeException firstRuntime = null;
        for (Tracker t : trackers) {
            try {
                call.on(t);
            } catch (IOException e) {
                if (firstIo == null) firstIo = e;
            } catch (RuntimeException e) {
                if (firstRuntime == null) firstRuntime = e;
            }
        }
        if (firstIo != null) throw firstIo;
        if (firstRuntime != null) throw firstRuntime;
    }
}
