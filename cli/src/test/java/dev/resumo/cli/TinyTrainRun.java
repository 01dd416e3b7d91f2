package dev.resumo.cli;

import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the train CLI tests start from: a random model of the demo's tiny config (with its
 * spiece.model), the demo corpus and a --config file of small settings, all under one folder; and
 * `resumo train` on them.
 */
record TinyTrainRun(Path model, Path corpus, Path settings) {
    static TinyTrainRun create(Path dir, String settingsJson) throws Exception {
        Path model = Files.createDirectories(dir.resolve("base"));
        copyResource("config.json", model.resolve("demo-config.json"));
        copyResource("spiece.model", model.resolve("spiece.model"));
        T5Checkpoint.save(T5Init.random(T5Config.load(model.resolve("demo-config.json")), new Xoshiro256Random(1)), model);
        Path corpus = dir.resolve("corpus.jsonl");
        copyResource("corpus.jsonl", corpus);
        Path settings = dir.resolve("settings.json");
        Files.writeString(settings, settingsJson);
        return new TinyTrainRun(model, corpus, settings);
    }

    /** `resumo train` into {@code outputDir}; a --config among {@code more} replaces the settings file. */
    CliRun train(Path outputDir, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--config", settings.toString(), "--model", model.toString(),
                "--dataset", corpus.toString(), "--output-dir", outputDir.toString()));
        args.addAll(List.of(more));
        if (List.of(more).contains("--config")) args.subList(1, 3).clear(); // a flag given twice is an error
        return CliRun.run(args.toArray(String[]::new));
    }

    private static void copyResource(String name, Path to) throws Exception {
        try (InputStream in = TinyTrainRun.class.getResourceAsStream("/dev/resumo/train/demo/" + name)) {
            Files.copy(in, to);
        }
    }
}
