package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationConfigTest {

    @Test
    void readsHuggingFaceGenerationConfig(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("generation_config.json");
        Files.writeString(f, """
                {"decoder_start_token_id": 0, "eos_token_id": 1, "max_length": 64, "num_beams": 4,
                 "length_penalty": 2.0, "early_stopping": "never", "no_repeat_ngram_size": 3}
                """);
        GenerationConfig g = GenerationConfig.load(f);
        assertEquals(63, g.maxNewTokens(), "max_length counts the decoder start token");
        assertEquals(4, g.numBeams());
        assertEquals(2.0f, g.lengthPenalty());
        assertEquals(GenerationConfig.EarlyStopping.NEVER, g.earlyStopping());
        assertEquals(3, g.noRepeatNgramSize());
        assertEquals(GenerationConfig.defaults().topK(), g.topK(), "absent keys keep the defaults");

        Files.writeString(f, "{\"max_new_tokens\": 20, \"max_length\": 500, \"early_stopping\": true}");
        GenerationConfig h = GenerationConfig.load(f);
        assertEquals(20, h.maxNewTokens(), "max_new_tokens wins over max_length");
        assertEquals(GenerationConfig.EarlyStopping.TRUE, h.earlyStopping());
    }

    @Test
    void errorsNameTheFileAndField(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("generation_config.json");
        Files.writeString(f, "{\"num_beams\": 0}");
        assertEquals(f + ": num_beams: must be ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> GenerationConfig.load(f)).getMessage());
        Files.writeString(f, "{\"early_stopping\": \"sometimes\"}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GenerationConfig.load(f)).getMessage()
                .startsWith(f + ": early_stopping: expected true, false or \"never\""));
        Files.writeString(f, "{\"num_beams\": 4,");
        String msg = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.load(f)).getMessage();
        assertTrue(msg.startsWith(f + ": not valid JSON") && !msg.contains("\n"), msg);
    }
}
