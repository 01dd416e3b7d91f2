package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A path flag given an empty value (`--dataset "$DATA"` with DATA unset) is the path "", which Java
 * reads as the working directory: the errors named no file ("resumo eval: : a folder that is
 * neither TeMário ..."), or blamed another flag ("--output-dir ... is inside what --dataset reads ()").
 */
class EmptyPathFlagsTest {
    @Test
    void anEmptyPathIsRefusedNamingItsFlag() {
        String[][] cases = {
            {"eval", "--dataset", "", "--model", "m"},
            {"train", "--dataset", "d.jsonl", "--model", ""},
            {"train", "--dataset", "", "--model", "m"},
            {"summarize", "--model", "m", "--text", "Olá", "--tokenizer", ""},
            {"summarize", "--model", "m", "--text", "Olá", "--output", ""},
            {"tokenize", "--tokenizer", "", "--text", "Olá"},
            {"detokenize", "--tokenizer", "t", "--input", ""},
            {"convert", "--input", "", "--output", "o.safetensors"},
            {"rouge", "--predictions", "", "--references", "r.jsonl"},
            {"baseline", "--dataset", ""},
        };
        for (String[] args : cases) {
            String flag = null;
            for (int i = 1; i < args.length; i++) if (args[i].isEmpty()) flag = args[i - 1];
            CliRun run = CliRun.run(args);
            String what = String.join(" ", args);
            assertEquals(2, run.code(), what + ": " + run.err());
            assertEquals(1, run.err().lines().count(), what + ": " + run.err());
            assertTrue(run.err().startsWith("resumo " + args[0] + ": " + flag + " must not be empty; give "), what + ": " + run.err());
        }
    }

    @Test
    void flagsThatAreNoPathsAreLeftToTheirCommand() {
        // --prefix "" is no prefix, not a path; --force and --stemmer are switches, with no value at all.
        CliRun run = CliRun.run("summarize", "--force", "--model", "", "--text", "Olá", "--prefix", "");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("resumo summarize: --model must not be empty"), run.err());
        run = CliRun.run("rouge", "--stemmer", "--predictions", "", "--references", "r.jsonl");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("resumo rouge: --predictions must not be empty"), run.err());
    }
}
