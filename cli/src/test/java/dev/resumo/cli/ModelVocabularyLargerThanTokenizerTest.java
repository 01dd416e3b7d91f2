package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import dev.resumo.tokenizer.T5Tokenizer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with more embedding rows than its tokenizer has ids (T5's 32,128 rows for PTT5's 32,100
 * pieces) can generate one of the extra ids. Decoding it threw TokenizerException ("id 4810 is
 * outside the vocabulary") out of `resumo summarize` as an internal error with a stack trace, and
 * nothing was written. transformers' fast tokenizer skips such ids when decoding; so must we.
 */
class ModelVocabularyLargerThanTokenizerTest {
    @TempDir Path dir;

    @Test
    void idsTheTokenizerLacksAreLeftOutOfTheTextAndKeptInTheIds() throws Exception {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        String config;
        try (InputStream in = getClass().getResourceAsStream("/dev/resumo/train/demo/config.json")) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // The demo's 1,500-id SentencePiece model with a random model of 4,000 rows, sampled from
        // (greedy search on random weights repeats one id): most sampled ids are past the
        // tokenizer's end, and the seed makes the run the same every time.
        Files.writeString(model.resolve("wide-config.json"), config.replaceFirst("\"vocab_size\"\\s*:\\s*\\d+", "\"vocab_size\": 4000"));
        try (InputStream in = getClass().getResourceAsStream("/dev/resumo/train/demo/spiece.model")) {
            Files.copy(in, model.resolve("spiece.model"));
        }
        T5Checkpoint.save(T5Init.random(T5Config.load(model.resolve("wide-config.json")), new Xoshiro256Random(3)), model);
        T5Tokenizer tokenizer = T5Tokenizer.load(model.resolve("spiece.model"));

        CliRun run = CliRun.run("summarize", "--model", model.toString(), "--text", "O governo anunciou hoje novas medidas.",
                "--max-new-tokens", "12", "--do-sample", "true", "--top-k", "0", "--seed", "7");

        assertEquals(0, run.code(), run.err());
        assertFalse(run.err().contains("internal error"), run.err());
        JsonNode row = new ObjectMapper().readTree(run.out().strip());
        int[] ids = new int[row.get("ids").size()];
        for (int i = 0; i < ids.length; i++) ids[i] = row.get("ids").get(i).asInt();
        assertTrue(Arrays.stream(ids).anyMatch(id -> id >= tokenizer.vocabSize()),
                "the case under test needs an id past the tokenizer's " + tokenizer.vocabSize() + ": " + Arrays.toString(ids));
        int[] known = Arrays.stream(ids).filter(id -> id < tokenizer.vocabSize()).toArray();
        assertEquals(tokenizer.decode(known), row.get("summary").asText());
    }
}
