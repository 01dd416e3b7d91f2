package dev.resumo.train.track.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A tally of what never reached the server: metric values per key with their step range, and other items by name. */
final class Undelivered {
    private final Map<String, long[]> metrics = new TreeMap<>(); // key → {count, first step, last step}
    private final List<String> others = new ArrayList<>();

    void add(Outgoing item) {
        if (item instanceof Outgoing.MetricValue m) {
            long step = m.metric().getStep();
            long[] t = metrics.computeIfAbsent(m.metric().getKey(), k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
            t[0]++;
            t[1] = Math.min(t[1], step);
            t[2] = Math.max(t[2], step);
        } else {
            others.add(item.describe());
        }
    }

    void addAll(List<Outgoing> items) {
        for (Outgoing item : items) add(item);
    }

    long metricValues() {
        long n = 0;
        for (long[] t : metrics.values()) n += t[0];
        return n;
    }

    boolean isEmpty() {
        return metrics.isEmpty() && others.isEmpty();
    }

    Undelivered copy() {
        Undelivered u = new Undelivered();
        metrics.forEach((k, t) -> u.metrics.put(k, t.clone()));
        u.others.addAll(others);
        return u;
    }

    /** e.g. "12 metric values (loss ×6 steps 5..30, lr ×6 steps 5..30); artifact model/model.safetensors; run status FINISHED". */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (!metrics.isEmpty()) {
            List<String> keys = new ArrayList<>();
            metrics.forEach((k, t) -> keys.add(k + " ×" + t[0] + (t[1] == t[2] ? " step " + t[1] : " steps " + t[1] + ".." + t[2])));
            parts.add(metricValues() + " metric values (" + String.join(", ", keys) + ")");
        }
        parts.addAll(others);
        return parts.isEmpty() ? "nothing" : String.join("; ", parts);
    }
}
