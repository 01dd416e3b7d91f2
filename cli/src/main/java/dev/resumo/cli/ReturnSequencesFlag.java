package dev.resumo.cli;

import dev.resumo.t5.generate.GenerationConfig;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/**
 * --num-return-sequences, for summarize and batch (eval scores one summary per text and has no such
 * flag): how many sequences to write per text as "candidates". A model's own num_return_sequences
 * is applied nowhere (GenerationOverrides asks for one); more are asked for here, by flag.
 */
final class ReturnSequencesFlag {
    static final String NAME = "num-return-sequences";

    private ReturnSequencesFlag() {}

    static Option option() {
        return SummarizeCommand.opt(NAME, "N", "summaries per text, written as \"candidates\" (the first one is also"
                + " \"summary\"): beam search's N best (N ≤ --num-beams) or N independent samples (--do-sample); at most "
                + GenerationConfig.MAX_NUM_BEAMS + " (default: 1)");
    }

    /** The flag's value (1 when absent); a malformed one is a UserError, said before any model loads. */
    static int value(CommandLine line) {
        return FlagValues.intValue(line, NAME, 1, 1);
    }

    /** {@code n} sequences per text over {@code generation}; settings that cannot return n are a UserError naming the flags. */
    static GenerationConfig apply(int n, GenerationConfig generation) {
        try {
            return generation.withNumReturnSequences(n);
        } catch (IllegalArgumentException e) {
            throw new UserError(GenerationFlags.flagName(e.getMessage()).replace("num_beams", "--num-beams")
                    .replace("do_sample", "--do-sample"));
        }
    }
}
