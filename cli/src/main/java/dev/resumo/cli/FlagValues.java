package dev.resumo.cli;

import org.apache.commons.cli.CommandLine;

/** Typed flag values; a malformed or out-of-range value is a {@link UserError} naming the flag. */
final class FlagValues {
    private FlagValues() {}

    static int intValue(CommandLine line, String flag, int fallback, int min) {
        String s = line.getOptionValue(flag);
        if (s == null) return fallback;
        int v = (int) whole(flag, s, Integer.MAX_VALUE, Integer.MIN_VALUE);
        if (v < min) throw new UserError("--" + flag + ": must be ≥ " + min + ", got " + v);
        return v;
    }

    static long longValue(CommandLine line, String flag, long fallback) {
        String s = line.getOptionValue(flag);
        if (s == null) return fallback;
        return whole(flag, s, Long.MAX_VALUE, Long.MIN_VALUE);
    }

    /** An integer in [min, max]; one out of the type's range is "too large", not "not an integer" (it is one). */
    private static long whole(String flag, String s, long max, long min) {
        try {
            long v = Long.parseLong(s.strip());
            return v > max || v < min ? outOfRange(flag, s, max, min) : v;
        } catch (NumberFormatException e) {
            if (s.strip().matches("[+-]?\\d+")) return outOfRange(flag, s, max, min);
            throw new UserError("--" + flag + ": expected an integer, got '" + s + "'");
        }
    }

    private static long outOfRange(String flag, String s, long max, long min) {
        if (s.strip().startsWith("-")) throw new UserError("--" + flag + ": '" + s + "' is too small (at least " + min + ")");
        throw new UserError("--" + flag + ": '" + s + "' is too large (at most " + max + ")");
    }

    static float floatValue(CommandLine line, String flag, float fallback) {
        String s = line.getOptionValue(flag);
        if (s == null) return fallback;
        try {
            float v = Float.parseFloat(s.strip());
            if (!Float.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new UserError("--" + flag + ": expected a number, got '" + s + "'");
        }
    }
}
