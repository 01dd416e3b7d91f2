package dev.resumo.cli;

import dev.resumo.engine.io.CheckpointFormatException;
import dev.resumo.engine.cpu.KernelWarmup;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.hub.HubException;
import dev.resumo.t5.hub.ModelLocator;
import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.tokenizer.TokenizerException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Loads what --model / --tokenizer point at, turning every problem into a one-line UserError. */
final class ModelLoading {
    /** --model's help: the weights layouts {@link T5Checkpoint#load} takes, named from its own constants. */
    static final String MODEL_HELP = "model folder (" + T5Checkpoint.CONFIG + " + " + T5Checkpoint.WEIGHTS + " or "
            + T5Checkpoint.TORCH_WEIGHTS + ", or the shards " + T5Checkpoint.SHARD_INDEX + " or " + T5Checkpoint.TORCH_SHARD_INDEX
            + " lists) or hub id ORG/NAME[@REVISION] (required)";

    private ModelLoading() {}

    /** The local folder for --model: a folder as given, or ORG/NAME[@REVISION] fetched into the cache. */
    static Path modelDir(String arg, PrintStream log) {
        try {
            return ModelLocator.fromEnvironment(log).resolve(arg);
        } catch (IllegalArgumentException | HubException e) {
            throw new UserError("--model " + e.getMessage());
        }
    }

    static T5Model model(Path dir) {
        KernelWarmup.start(); // compiles the GEMM kernel on another core while the weights load
        try {
            return T5Checkpoint.load(dir);
        } catch (IllegalArgumentException | CheckpointFormatException | UncheckedIOException e) {
            throw new UserError("--model " + e.getMessage());
        }
    }

    static T5Tokenizer tokenizer(String tokenizer, Path modelDir) {
        Path where = tokenizer != null ? Path.of(tokenizer) : modelDir;
        try {
            return T5Tokenizer.load(where);
        } catch (TokenizerException e) {
            throw new UserError((tokenizer != null ? "--tokenizer " : "--model ") + e.getMessage());
        }
    }
}
