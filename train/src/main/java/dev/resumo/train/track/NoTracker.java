package dev.resumo.train.track;

import java.nio.file.Path;
import java.util.Map;

/** Tracks nothing (--tracker none). */
public final class NoTracker implements Tracker {
    @Override public void start(Map<String, Object> params) {}
    @Override public void metrics(long step, Map<String, Double> metrics) {}
    @Override public void artifacts(Path path) {}
    @Override public void end(String status) {}
}
