package dev.resumo.cli;

import org.apache.commons.cli.CommandLine;

/** Typed flag values; a malformed or out-of-range value is a {@link UserError} naming the flag. */
final class FlagValues {
    private FlagValues() {}

    static int intValue(CommandLine line, String flag, int fallback, int min) {
        String s = line.getOptionValue(flag);
        if (s == null) return fallback;
        int v;
        try {
            v = Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new UserError("--" + flag + ": expected an integer, got '" + s + "'");
        }
        if (v < min) throw new UserError("--" + flag + ": must be ≥ " + min + ", got " + v);
        return v;
    }

    static long longValue(CommandLine line, String flag, long fallback) {
        String s = line.getOptionValue(flag);
        if (s == null) return fallback;
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new UserError("--" + flag + ": expected an integer, got '" + s + "'");
        }
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
