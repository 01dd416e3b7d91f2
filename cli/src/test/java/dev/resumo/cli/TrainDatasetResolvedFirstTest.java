package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo train` resolves --dataset before it loads the model: a configuration a local copy of a hub
 * dataset lacks (DIR:CONFIG) is one line naming it, without a model load first (for PTT5-base that
 * is seconds to wait for a typo). Shown with a model folder that cannot load: the dataset's error
 * must be the one reported.
 */
class TrainDatasetResolvedFirstTest {
    private static final String ROWS = "{\"text\": \"Texto um.\", \"summary\": \"Um.\"}\n{\"text\": \"Texto dois.\", \"summary\": \"Dois.\"}\n";

    @Test
    void aConfigurationTheFolderLacksIsReportedBeforeTheModelLoads(@TempDir Path tmp) throws Exception {
        Path dataset = tmp.resolve("dataset");
        for (String config : new String[] {"en", "pt"}) {
            Files.createDirectories(dataset.resolve(config));
            Files.writeString(dataset.resolve(config + "/train.jsonl"), ROWS, StandardCharsets.UTF_8);
            Files.writeString(dataset.resolve(config + "/validation.jsonl"), ROWS, StandardCharsets.UTF_8);
        }
        Path model = tmp.resolve("broken-model");
        Files.createDirectories(model);
        Files.writeString(model.resolve("config.json"), "{", StandardCharsets.UTF_8);
        Files.writeString(model.resolve("model.safetensors"), "not weights", StandardCharsets.UTF_8);

        CliRun typo = CliRun.run("train", "--model", model.toString(), "--dataset", dataset + ":klingon",
                "--output-dir", tmp.resolve("run-typo").toString(), "--max-steps", "1");
        assertEquals(2, typo.code(), typo.err());
        assertEquals(1, typo.err().strip().lines().count(), typo.err());
        assertTrue(typo.err().startsWith("resumo train: ") && typo.err().contains("'klingon'")
                && typo.err().contains("configs found: en, pt"), typo.err());
        assertFalse(Files.exists(tmp.resolve("run-typo")), "nothing written for a run that failed on its inputs");

        // The control: with a configuration the folder has, the broken model is what fails.
        CliRun good = CliRun.run("train", "--model", model.toString(), "--dataset", dataset + ":pt",
                "--output-dir", tmp.resolve("run-pt").toString(), "--max-steps", "1");
        assertEquals(2, good.code(), good.err());
        assertTrue(good.err().contains("config.json") && !good.err().contains("klingon"), good.err());
    }
}
