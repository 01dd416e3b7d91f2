package dev.resumo.train.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Collects the rows left out while reading and validating, with counts per reason. */
final class Rejections {
    private final List<Rejection> all = new ArrayList<>();
    private final Map<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);

    void add(String file, long line, RejectReason reason, String id, String detail) {
        all.add(new Rejection(file, line, reason, id, detail));
        counts.merge(reason, 1, Integer::sum);
    }

    int count(RejectReason reason) { return counts.getOrDefault(reason, 0); }

    List<Rejection> list() { return Collections.unmodifiableList(all); }

    Map<RejectReason, Integer> counts() { return Collections.unmodifiableMap(counts); }
}
