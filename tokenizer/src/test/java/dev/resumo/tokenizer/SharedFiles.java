package dev.resumo.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared (system property resumo.shared) and skips the calling test when it is absent. */
final class SharedFiles {
    private SharedFiles() {}

    static Path require(String relative) {
        String root = System.getProperty("resumo.shared");
        assumeTrue(root != null, "skipped: system property resumo.shared is not set (run through Maven)");
        Path p = Path.of(root).resolve(relative);
        assumeTrue(Files.exists(p), "skipped: " + p + " is absent (the ../shared reference folder is not laid out)");
        return p;
    }

    static Path ptt5Spiece() {
        return require("models/ptt5-portuguese-vocab/spiece.model");
    }

    private static T5Tokenizer ptt5;

    /** The PTT5 tokenizer, loaded once for all tests (skips when ../shared is absent). */
    static synchronized T5Tokenizer ptt5() {
        Path file = ptt5Spiece();
        if (ptt5 == null) ptt5 = T5Tokenizer.load(file);
        return ptt5;
    }
}
