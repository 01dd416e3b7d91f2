package dev.resumo.train.data;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What loading kept (rows per split) and what it left out (per reason, with every row's place). */
public record DatasetReport(Map<Split, Integer> kept, Map<RejectReason, Integer> rejectedByReason, List<Rejection> rejected) {
    public DatasetReport {
        kept = Map.copyOf(kept);
        rejectedByReason = Map.copyOf(rejectedByReason);
        rejected = List.copyOf(rejected);
    }

    public int rejectedCount(RejectReason r) { return rejectedByReason.getOrDefault(r, 0); }

    public int keptCount(Split s) { return kept.getOrDefault(s, 0); }

    /** One line, e.g. "kept train 160, validation 20, test 20; rejected 3 (2 duplicate, 1 empty_text)". */
    public String summary() {
        StringBuilder b = new StringBuilder("kept");
        for (Split s : Split.values()) b.append(s == Split.TRAIN ? " " : ", ").append(s.label()).append(' ').append(keptCount(s));
        b.append("; rejected ").append(rejected.size());
        if (!rejected.isEmpty()) {
            b.append(" (");
            Map<RejectReason, Integer> ordered = new EnumMap<>(rejectedByReason);
            String sep = "";
            for (Map.Entry<RejectReason, Integer> e : ordered.entrySet()) {
                b.append(sep).append(e.getValue()).append(' ').append(e.getKey().label());
                sep = ", ";
            }
            b.append(')');
        }
        return b.toString();
    }
}
