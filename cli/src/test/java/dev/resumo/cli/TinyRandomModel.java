package dev.resumo.cli;

import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small random T5 (the demo's config and SentencePiece model) saved as a model folder, for fast CLI tests. */
final class TinyRandomModel {
    private TinyRandomModel() {}

    static Path create(Path dir) throws Exception {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        copyResource("config.json", model.resolve("demo-config.json"));
        copyResource("spiece.model", model.resolve("spiece.model"));
        T5Checkpoint.save(T5Init.random(T5Config.load(model.resolve("demo-config.json")), new Xoshiro256Random(1)), model);
        return model;
    }

    private static void copyResource(String name, Path to) throws Exception {
        try (InputStream in = TinyRandomModel.class.getResourceAsStream("/dev/resumo/train/demo/" + name)) {
            Files.copy(in, to);
        }
    }
}
