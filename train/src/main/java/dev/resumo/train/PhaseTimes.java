package dev.resumo.train;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Wall time a run spent in each of its phases, so that a user can see where a run's time went
 * besides the optimizer steps (the run summary prints it; bench/README.md compares it with
 * transformers' Seq2SeqTrainer). Each phase sums every interval given to it.
 */
public final class PhaseTimes {
    /** The phases, in the order a run goes through them. */
    public enum Phase {
        SETUP("setup"),
        STEPS("training steps"),
        EVAL_LOSS("eval loss"),
        EVAL_SUMMARIES("eval summaries"),
        ROUGE("ROUGE"),
        CHECKPOINTS("checkpoints"),
        RUN_FILES("run files"),
        MODEL_EXPORT("model export");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final long[] nanos = new long[Phase.values().length];

    /** Adds the time since {@code startNanos} (a {@link System#nanoTime()}) to the phase; returns now, to start the next. */
    public long add(Phase phase, long startNanos) {
        long now = System.nanoTime();
        nanos[phase.ordinal()] += now - startNanos;
        return now;
    }

    public double seconds(Phase phase) {
        return nanos[phase.ordinal()] / 1e9;
    }

    /** Seconds by phase, every phase present, in run order. */
    public Map<Phase, Double> seconds() {
        Map<Phase, Double> m = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) m.put(p, seconds(p));
        return m;
    }

    /** "training steps 60.1 s, eval loss 5.2 s, ..." in run order; phases that took no time are left out. */
    public static String describe(Map<Phase, Double> seconds) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Phase, Double> e : seconds.entrySet()) {
            if (e.getValue() == 0) continue;
            if (!b.isEmpty()) b.append(", ");
            b.append(e.getKey().label()).append(String.format(Locale.ROOT, " %.1f s", e.getValue()));
        }
        return b.toString();
    }
}
