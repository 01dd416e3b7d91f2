package dev.resumo.cli;

import dev.resumo.t5.SequenceLimits;
import dev.resumo.t5.Summarizer;
import org.apache.commons.cli.CommandLine;

/**
 * Token-length flags (--max-source-length, bench --source-length/--target-length), each bounded by
 * {@link SequenceLimits#MAX_SEQUENCE_LENGTH} and refused with a one-line error before any model loads.
 */
final class SequenceLengthFlags {
    private SequenceLengthFlags() {}

    /** --max-source-length, default {@link Summarizer#DEFAULT_MAX_SOURCE_LENGTH}, 1..the ceiling. */
    static int maxSourceLength(CommandLine line) {
        return tokens(line, "max-source-length", Summarizer.DEFAULT_MAX_SOURCE_LENGTH, 1);
    }

    /** A token count flag between {@code min} and the ceiling. */
    static int tokens(CommandLine line, String flag, int fallback, int min) {
        int v = FlagValues.intValue(line, flag, fallback, min);
        try {
            return SequenceLimits.check("--" + flag, v);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
