package dev.resumo.cli;

import dev.resumo.engine.io.CheckpointFormatException;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.tokenizer.TokenizerException;
import java.nio.file.Path;

/** Loads what --model / --tokenizer point at, turning every problem into a one-line UserError. */
final class ModelLoading {
    private ModelLoading() {}

    static T5Model model(String dir) {
        try {
            return T5Checkpoint.load(Path.of(dir));
        } catch (IllegalArgumentException | CheckpointFormatException | java.io.UncheckedIOException e) {
            throw new UserError("--model " + e.getMessage());
        }
    }

    static T5Tokenizer tokenizer(String tokenizer, String modelDir) {
        String where = tokenizer != null ? tokenizer : modelDir;
        try {
            return T5Tokenizer.load(Path.of(where));
        } catch (TokenizerException e) {
            throw new UserError((tokenizer != null ? "--tokenizer " : "--model ") + e.getMessage());
        }
    }
}
