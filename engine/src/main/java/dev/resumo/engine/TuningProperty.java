package dev.resumo.engine;

import java.io.PrintStream;

/**
 * Reads the engine's tuning properties (-Dresumo.gemm.kc, -Dresumo.opencl.poolBytes, ...): block
 * sizes and limits for experiments and for machines unlike this one, not flags of the CLI.
 *
 * <p>Why not {@code Long.getLong}: it returns the default for a value that is no number, so a typo
 * ({@code -Dresumo.opencl.poolBytes=1g}) was ignored without a word, and it takes any number, so
 * {@code -Dresumo.gemm.kc=0} reached the kernels' loops. Here a value that is no whole number in
 * range is named on stderr once, with the value used instead; nothing stops, since the run is still
 * correct with the default.
 */
public final class TuningProperty {
    private TuningProperty() {}

    /** -Dname as a long in [min, max], or {@code fallback} when unset or not usable (said on stderr). */
    public static long longValue(String name, long fallback, long min, long max) {
        return parse(name, System.getProperty(name), fallback, min, max, System.err);
    }

    /** {@link #longValue} for an int. */
    public static int intValue(String name, int fallback, int min, int max) {
        return (int) parse(name, System.getProperty(name), fallback, min, max, System.err);
    }

    static long parse(String name, String raw, long fallback, long min, long max, PrintStream warnings) {
        if (raw == null) return fallback;
        try {
            long v = Long.parseLong(raw.strip());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException e) {
            // said below, with the range
        }
        warnings.println("resumo: ignoring -D" + name + "=" + raw + ": it must be a whole number from " + min + " to "
                + max + "; using " + fallback);
        return fallback;
    }
}
