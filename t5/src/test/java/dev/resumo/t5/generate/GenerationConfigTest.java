package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertEquals(1.0f, g.repetitionPenalty(), "absent repetition_penalty is off");

        Files.writeString(f, "{\"max_new_tokens\": 20, \"max_length\": 500, \"early_stopping\": true}");
        GenerationConfig h = GenerationConfig.load(f);
        assertEquals(20, h.maxNewTokens(), "max_new_tokens wins over max_length");
        assertEquals(GenerationConfig.EarlyStopping.TRUE, h.earlyStopping());

        Files.writeString(f, "{\"repetition_penalty\": 2.5}");
        assertEquals(2.5f, GenerationConfig.load(f).repetitionPenalty());

        Files.writeString(f, "{\"prompt_lookup_num_tokens\": 10}");
        assertEquals(10, GenerationConfig.load(f).promptLookupNumTokens());
        assertTrue(GenerationConfig.ignoredSettings(f).isEmpty(), "prompt_lookup_num_tokens is implemented");
    }

    @Test
    void promptLookupIsGreedyOnlyAndBounded() {
        GenerationConfig g = GenerationConfig.greedy(32).withPromptLookup(10);
        assertEquals(10, g.promptLookupNumTokens());
        assertEquals(10, g.withMaxNewTokens(8).withNoRepeatNgramSize(3).withRepetitionPenalty(1.2f).promptLookupNumTokens(),
                "the other settings keep it");
        assertEquals(0, GenerationConfig.greedy(32).promptLookupNumTokens(), "off by default");
        var beams = assertThrows(IllegalArgumentException.class, () -> g.withBeams(4, 1f, GenerationConfig.EarlyStopping.FALSE, 1));
        assertEquals("prompt_lookup_num_tokens: works with greedy decoding only, but num_beams is 4; set it to 0 or use greedy decoding",
                beams.getMessage());
        var sampling = assertThrows(IllegalArgumentException.class, () -> g.withSampling(1f, 50, 1f, 0));
        assertTrue(sampling.getMessage().contains("do_sample is on"), sampling.getMessage());
        var big = assertThrows(IllegalArgumentException.class, () -> g.withPromptLookup(129));
        assertEquals("prompt_lookup_num_tokens: must be in [0, 128] (0 = off), got 129", big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.withPromptLookup(-1));
    }

    @Test
    void repetitionPenaltyMustBePositive(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("generation_config.json");
        Files.writeString(f, "{\"repetition_penalty\": 0}");
        assertEquals(f + ": repetition_penalty: must be > 0 (1 = off), got 0.0",
                assertThrows(IllegalArgumentException.class, () -> GenerationConfig.load(f)).getMessage());
        Files.writeString(f, "{\"repetition_penalty\": \"high\"}");
        assertEquals(f + ": repetition_penalty: expected a number, got \"high\"",
                assertThrows(IllegalArgumentException.class, () -> GenerationConfig.load(f)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.defaults().withRepetitionPenalty(-1f));
    }

    @Test
    void listsTheOutputChangingSettingsItIgnores(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("generation_config.json");
        // transformers' own defaults for these (1, 1.0, null, empty) and keys Resumo reads are not listed
        Files.writeString(f, """
                {"num_beam_groups": 1, "typical_p": 1.0, "diversity_penalty": 0, "bad_words_ids": null,
                 "suppress_tokens": [], "num_beams": 4, "repetition_penalty": 1.2, "use_cache": true}
                """);
        assertEquals(List.of(), GenerationConfig.ignoredSettings(f));
        Files.writeString(f, """
                {"num_beams": 4, "num_beam_groups": 2, "diversity_penalty": 0.5, "bad_words_ids": [[5, 6]],
                 "forced_bos_token_id": 0, "typical_p": 1}
                """);
        assertEquals(List.of("num_beam_groups=2", "diversity_penalty=0.5", "bad_words_ids=[[5,6]]", "forced_bos_token_id=0"),
                GenerationConfig.ignoredSettings(f));
        Files.writeString(f, "{not json");
        assertEquals(List.of(), GenerationConfig.ignoredSettings(f), "load() reports a broken file, not this");
    }

    @Test
    void listsTheTransformers524SettingsItIgnores(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("generation_config.json");
        // off as transformers 5.24's generate() reads them: guidance_scale 1 is skipped like null
        Files.writeString(f, """
                {"top_h": null, "remove_invalid_values": false, "token_healing": false, "watermarking_config": null,
                 "guidance_scale": 1.0}
                """);
        assertEquals(List.of(), GenerationConfig.ignoredSettings(f));
        Files.writeString(f, """
                {"top_h": 0.4, "remove_invalid_values": true, "token_healing": true, "guidance_scale": 1.5,
                 "watermarking_config": {"greenlist_ratio": 0.25}}
                """);
        assertEquals(List.of("top_h=0.4", "remove_invalid_values=true", "token_healing=true", "guidance_scale=1.5",
                "watermarking_config={\"greenlist_ratio\":0.25}"), GenerationConfig.ignoredSettings(f));
    }

    @Test
    void listsTokenIdsThatDifferFromTheModelConfig(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("generation_config.json");
        // transformers stops at generation_config.json's eos_token_id(s); Resumo at config.json's
        Files.writeString(f, "{\"eos_token_id\": 1, \"decoder_start_token_id\": 0, \"pad_token_id\": 0}");
        assertEquals(List.of(), GenerationConfig.ignoredSettings(f, 1, 0));
        Files.writeString(f, "{\"eos_token_id\": [1]}");
        assertEquals(List.of(), GenerationConfig.ignoredSettings(f, 1, 0), "a one-id list is that id");
        Files.writeString(f, "{\"eos_token_id\": [1, 5], \"decoder_start_token_id\": 2, \"num_beam_groups\": 2}");
        assertEquals(List.of("num_beam_groups=2", "eos_token_id=[1,5] (config.json: 1)", "decoder_start_token_id=2 (config.json: 0)"),
                GenerationConfig.ignoredSettings(f, 1, 0));
        Files.writeString(f, "{\"eos_token_id\": 3}");
        assertEquals(List.of("eos_token_id=3 (config.json: 1)"), GenerationConfig.ignoredSettings(f, 1, 0));
    }

    /** A width typed with an extra zero or two is an error, not a search that runs for minutes. */
    @Test
    void beamWidthHasACeiling() {
        assertEquals(GenerationConfig.MAX_NUM_BEAMS, GenerationConfig.beam(GenerationConfig.MAX_NUM_BEAMS, 8).numBeams());
        assertEquals("num_beams: must be at most " + GenerationConfig.MAX_NUM_BEAMS + ", got 20000",
                assertThrows(IllegalArgumentException.class, () -> GenerationConfig.beam(20_000, 8)).getMessage());
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
        // Jackson's "[Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 1]" said as a place
        Files.writeString(f, "{\"num_beams\": 4\n");
        String unclosed = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.load(f)).getMessage();
        assertTrue(unclosed.endsWith("(start marker at line 1, column 1))") && !unclosed.contains("Source")
                && !unclosed.contains("REDACTED") && !unclosed.contains("\n"), unclosed);
    }
}
