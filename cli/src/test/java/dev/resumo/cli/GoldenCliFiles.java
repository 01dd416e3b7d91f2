package dev.resumo.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden tiny model (ReLU, tied) and the real PTT5 SentencePiece model, read in place from
 * ../shared (-Dresumo.shared), for the CLI tests that run commands on them; null without it.
 */
final class GoldenCliFiles {
    private GoldenCliFiles() {}

    private static Path shared() {
        String shared = System.getProperty("resumo.shared");
        return shared == null ? null : Path.of(shared);
    }

    static Path model() {
        Path root = shared();
        return root == null ? null : root.resolve("golden/t5-v1_0-tiny");
    }

    static Path spiece() {
        Path root = shared();
        return root == null ? null : root.resolve("models/ptt5-portuguese-vocab/spiece.model");
    }

    /** Skips the calling test, naming {@code what}, when either file is absent. */
    static void need(String what) {
        Path model = model(), spiece = spiece();
        assumeTrue(model != null && Files.isRegularFile(model.resolve("model.safetensors")) && spiece != null
                        && Files.isRegularFile(spiece),
                "../shared golden model or PTT5 spiece.model absent: " + what + " skipped");
    }
}
