package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resumo.engine.io.Dtype;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warning list of a model directory compares generation_config.json's token ids with config.json's. */
class SummarizerIgnoredSettingsTest {

    @Test
    void namesAnEndTokenTransformersWouldStopAtInstead(@TempDir Path dir) throws Exception {
        TinyModels.relu(1).config().save(dir.resolve(T5Checkpoint.CONFIG), Dtype.F32); // eos 1, decoder start 0
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 1, \"decoder_start_token_id\": 0}");
        assertEquals(List.of(), Summarizer.ignoredGenerationSettings(dir));
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [1, 7], \"top_h\": 0.3}");
        assertEquals(List.of("top_h=0.3", "eos_token_id=[1,7] (config.json: 1)"), Summarizer.ignoredGenerationSettings(dir));
        Files.delete(dir.resolve(T5Checkpoint.CONFIG));
        assertEquals(List.of("top_h=0.3"), Summarizer.ignoredGenerationSettings(dir),
                "without a readable config.json only the file's own settings (loading the model reports the rest)");
    }
}
