package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eval loads --model and --tokenizer with summarize's ModelLoading, which takes pytorch_model.bin and
 * tokenizer.json; eval's help said "config.json + model.safetensors" and "spiece.model or a directory
 * with one", so a user with a tokenizer.json-only model was told it would not do.
 */
class EvalHelpMatchesLoadersTest {
    @Test
    void evalHelpNamesWhatItsLoadersTake(@TempDir Path dir) throws Exception {
        String help = CliRun.run("eval", "--help").out();
        String summarize = CliRun.run("summarize", "--help").out();
        for (String flag : new String[] {"--model <DIR>", "--tokenizer <PATH>"}) {
            assertEquals(describe(summarize, flag), describe(help, flag), flag);
        }
        assertTrue(describe(help, "--tokenizer <PATH>").contains("tokenizer.json"), help);
        // What eval looks for when neither flag names a tokenizer: both files, as the help now says.
        Path model = TinyRandomModel.create(dir);
        Files.delete(model.resolve("spiece.model"));
        Path data = Files.writeString(dir.resolve("d.jsonl"), "{\"text\": \"Um. Dois.\", \"summary\": \"Um.\", \"split\": \"test\"}\n");
        CliRun r = CliRun.run("eval", "--model", model.toString(), "--dataset", data.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("neither spiece.model nor tokenizer.json"), r.err());
    }

    /** A flag's description in a --help page, its wrapped lines joined. */
    private static String describe(String help, String flag) {
        StringBuilder b = new StringBuilder();
        boolean in = false, found = false;
        for (String line : help.lines().toList()) {
            String t = line.strip();
            if (t.startsWith("--") || t.startsWith("-h,")) {
                if (in) break;
                in = t.startsWith(flag);
                found |= in;
            }
            if (in) b.append(' ').append(t.startsWith(flag) ? t.substring(flag.length()) : t);
        }
        assertTrue(found, flag + " missing from: " + help);
        return b.toString().replaceAll("\\s+", " ").strip();
    }
}
