package dev.resumo.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The tokenizer module's small SentencePiece test model, found through resumo.root (set by Surefire). */
final class SmallSpieceModel {
    private SmallSpieceModel() {}

    /** Its path; the calling test is skipped, with the reason, when it cannot be found. */
    static Path path() {
        String root = System.getProperty("resumo.root");
        assumeTrue(root != null, "skipped: resumo.root is not set (run through Maven)");
        Path model = Path.of(root, "tokenizer/src/test/resources/dev/resumo/tokenizer/small/spiece.model");
        assumeTrue(Files.isRegularFile(model), "skipped: " + model + " is missing");
        return model;
    }
}
